/**
 * A `mailto:` link that opens the visitor's email app with a message to `to`. Generated apps
 * have no server, so email is the one honest way a form here can reach anyone.
 */
export function mailtoHref(to: string, subject: string, body: string): string {
  return (
    'mailto:' +
    encodeURIComponent(to).replace(/%40/g, '@') +
    '?subject=' +
    encodeURIComponent(subject) +
    '&body=' +
    encodeURIComponent(body)
  );
}

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
