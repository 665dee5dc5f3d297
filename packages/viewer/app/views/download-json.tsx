/** Saves a value as a JSON file from the page (built in memory; nothing leaves the machine). */

/** A button that downloads `value` as `fileName`. */
export function DownloadJson({ value, fileName, children }: { value: unknown; fileName: string; children: string }) {
  const save = (): void => {
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button type="button" onClick={save}>
      {children}
    </button>
  );
}
