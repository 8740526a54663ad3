/** Hand `blob` to the browser as a download named `filename`, through a short-lived Blob URL. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  // The click has started the download from the URL; it is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
