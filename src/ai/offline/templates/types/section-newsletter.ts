export interface NewsletterSection {
  title: string;
  intro: string;
  button: string;
  /** Said after the email app opens: the page keeps no list of its own. */
  success: string;
  /** Who receives sign-up requests, by email (the site has no mailing service). */
  to: string;
}
