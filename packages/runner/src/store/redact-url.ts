/** Database URLs in messages: never with their password. */

/** `url` with its password replaced by `***` (anything without a password, such as a file path, is returned unchanged). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** `message` with every occurrence of `url`'s password replaced by `***`. */
export function withoutPassword(message: string, url: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password === "" ? message : message.split(password).join("***");
}
