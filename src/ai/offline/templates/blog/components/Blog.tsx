import { useEffect, useState } from 'react';
import { blog } from '../data';
import SectionHeading from './SectionHeading';

const tags = Array.from(new Set(blog.posts.map((post) => post.tag)));

function slugFromHash(): string | null {
  const match = /^#post\/(.+)$/.exec(window.location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function cover(hue: number): string {
  return (
    'linear-gradient(135deg, hsl(' + hue + ' 70% 85%), hsl(' + ((hue + 50) % 360) + ' 65% 70%))'
  );
}

export default function Blog() {
  const [slug, setSlug] = useState<string | null>(slugFromHash);
  const [tag, setTag] = useState<string | null>(null);

  useEffect(() => {
    const onHashChange = () => setSlug(slugFromHash());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const post = blog.posts.find((item) => item.slug === slug) ?? null;
  const visible = blog.posts.filter((item) => tag === null || item.tag === tag);

  const open = (next: string | null) => {
    window.location.hash = next === null ? 'posts' : 'post/' + encodeURIComponent(next);
    setSlug(next);
    document.getElementById('posts')?.scrollIntoView({ block: 'start' });
  };

  return (
    <section id="posts" className="section">
      <div className="container">
        {post ? (
          <article className="post narrow">
            <button type="button" className="btn btn-ghost btn-small" onClick={() => open(null)}>
              ← All posts
            </button>
            <div className="post-hero" style={{ background: cover(post.hue) }} aria-hidden="true">
              {post.emoji}
            </div>
            <p className="post-meta">
              {post.tag} · {post.date} · {post.minutes} min read
            </p>
            <h2 className="post-title">{post.title}</h2>
            <p className="lead">{post.excerpt}</p>
            {post.body.map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
            <p className="post-sign">— {blog.author}</p>
            <h3>Keep reading</h3>
            <div className="post-more">
              {blog.posts
                .filter((item) => item.slug !== post.slug)
                .slice(0, 2)
                .map((item) => (
                  <button
                    key={item.id}
                    type="button"
                    className="post-link"
                    onClick={() => open(item.slug)}
                  >
                    <span aria-hidden="true">{item.emoji}</span> {item.title}
                  </button>
                ))}
            </div>
          </article>
        ) : (
          <>
            <SectionHeading eyebrow={blog.eyebrow} title={blog.title} intro={blog.intro} />
            <div className="filters" role="group" aria-label="Topics">
              <button
                type="button"
                className="chip"
                aria-pressed={tag === null}
                onClick={() => setTag(null)}
              >
                All posts
              </button>
              {tags.map((name) => (
                <button
                  key={name}
                  type="button"
                  className="chip"
                  aria-pressed={tag === name}
                  onClick={() => setTag(name)}
                >
                  {name}
                </button>
              ))}
            </div>
            <div className="post-grid">
              {visible.map((item) => (
                <article key={item.id} className="post-card">
                  <button
                    type="button"
                    className="post-cover"
                    style={{ background: cover(item.hue) }}
                    aria-label={'Read ' + item.title}
                    onClick={() => open(item.slug)}
                  >
                    <span aria-hidden="true">{item.emoji}</span>
                  </button>
                  <div className="post-body">
                    <p className="post-meta">
                      {item.tag} · {item.date} · {item.minutes} min read
                    </p>
                    <h3>{item.title}</h3>
                    <p className="muted">{item.excerpt}</p>
                    <button type="button" className="text-btn" onClick={() => open(item.slug)}>
                      Read post →
                    </button>
                  </div>
                </article>
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}
