export interface Post {
  id: string;
  slug: string;
  title: string;
  tag: string;
  emoji: string;
  date: string;
  minutes: number;
  excerpt: string;
  body: string[];
  hue: number;
}

export interface BlogData {
  eyebrow: string;
  title: string;
  intro: string;
  author: string;
  posts: Post[];
}
