/** Blog: post cards with tag filter; opening a post shows the article (linkable via #post/slug). */
import { blogPosts } from '../content/blog-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderBlog(ctx: RenderContext, author: string): KindPart {
  const { spec } = ctx;
  const posts = blogPosts(spec.topic, spec.items, ctx.vars).map((post, index) => ({
    ...post,
    hue: (ctx.hue + index * 40) % 360,
  }));
  const tags = [...new Set(posts.map((post) => post.tag))];
  return {
    components: [{ name: 'Blog', source: template('blog/components/Blog.tsx') }],
    files: [],
    types: typeDeclarations('blog'),
    data: [
      {
        name: 'blog',
        type: 'BlogData',
        value: {
          eyebrow: 'Latest posts',
          title: 'Fresh from the notebook',
          intro: 'Pick a topic or start with the newest post.',
          author,
          posts,
        },
      },
    ],
    css: template('shared/writing.css'),
    nav: [{ label: 'Posts', href: '#posts' }],
    hero: {
      compact: false,
      eyebrow: 'Notes & stories',
      highlights: tags.slice(0, 3),
      cta: { label: 'Read the latest', href: '#posts' },
      secondary: ctx.has('newsletter') ? { label: 'Subscribe', href: '#newsletter' } : null,
    },
  };
}
