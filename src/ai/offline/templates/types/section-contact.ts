export interface ContactSection {
  eyebrow: string;
  title: string;
  intro: string;
  button: string;
  /** Said after the email app opens: nothing is sent from the page itself. */
  success: string;
  /** Where messages go: a mailto: to this address (the site has no server to send them). */
  to: string;
  details: { id: string; icon: string; label: string; value: string }[];
}
