"""Pure readers of what the scrape and the EPG refresh download: AceStream lists and pages,
XMLTV guides, and the matching of guide channels to scraped ones. No I/O, no database."""
