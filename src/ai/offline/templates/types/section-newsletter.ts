export interface NewsletterSection {
  title: string;
  intro: string;
  button: string;
  success: string;
}
