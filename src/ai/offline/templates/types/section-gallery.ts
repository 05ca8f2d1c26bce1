export interface GallerySection {
  eyebrow: string;
  title: string;
  intro: string;
  items: { id: string; icon: string; caption: string; hue: number }[];
}
