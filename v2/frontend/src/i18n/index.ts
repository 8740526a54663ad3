/**
 * The page's translations (react-i18next). Every string a person reads goes through `t` with a key such as `tasks.runNow`;
 * the texts live in `locales/<language>/<area>.json`, one file per area of the page, each holding
 * `{"<area>": {...}}`, merged here into one namespace so a key is the same string everywhere.
 * The language is the one chosen in the page (kept in localStorage), else the browser's, else English.
 */
import i18next, { type i18n, type Resource } from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];
export const LANGUAGE_STORAGE_KEY = "acestream.language";

const files = import.meta.glob<Record<string, unknown>>("./locales/*/*.json", { eager: true, import: "default" });

/** `{en: {translation: {...every area...}}, es: {...}}` from the files under `locales/`. */
export function translationResources(): Resource {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const [path, content] of Object.entries(files)) {
    const language = /\.\/locales\/([^/]+)\//.exec(path)?.[1];
    if (!language) continue;
    const entry = (resources[language] ??= { translation: {} });
    Object.assign(entry.translation, content);
  }
  return resources;
}

/** A fresh i18next instance (one per app; tests pass `language` to skip the browser's choice). */
export function createI18n(language?: Language): i18n {
  const instance = i18next.createInstance();
  if (!language) instance.use(LanguageDetector);
  instance.use(initReactI18next);
  void instance.init({
    resources: translationResources(),
    lng: language,
    fallbackLng: "en",
    supportedLngs: LANGUAGES.map((entry) => entry.code),
    load: "languageOnly",
    nonExplicitSupportedLngs: true,
    interpolation: { escapeValue: false },
    detection: { order: ["localStorage", "navigator"], lookupLocalStorage: LANGUAGE_STORAGE_KEY, caches: ["localStorage"] },
    initAsync: false,
  });
  const followLanguage = (lng: string) => {
    if (typeof document !== "undefined") document.documentElement.lang = lng;
  };
  followLanguage(instance.resolvedLanguage ?? "en");
  instance.on("languageChanged", () => followLanguage(instance.resolvedLanguage ?? "en"));
  return instance;
}

/** The BCP 47 tag for `Intl` formatting of dates and numbers in the page's language. */
export function intlLocale(instance: i18n): string {
  return instance.resolvedLanguage ?? "en";
}
