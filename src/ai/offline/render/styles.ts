/** The shared stylesheet of generated apps: base, buttons, header and hero. */

export const BASE_CSS = `*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  scroll-behavior: smooth;
  scroll-padding-top: 84px;
}

body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font-body);
  font-size: 17px;
  line-height: 1.6;
  -webkit-font-smoothing: antialiased;
}

h1,
h2,
h3 {
  font-family: var(--font-heading);
  line-height: 1.15;
  letter-spacing: -0.01em;
  margin: 0 0 0.5em;
}

h1 {
  font-size: clamp(2.4rem, 5vw, 3.8rem);
}

h2 {
  font-size: clamp(1.8rem, 3.2vw, 2.5rem);
}

h3 {
  font-size: 1.2rem;
}

p {
  margin: 0 0 1em;
}

a {
  color: var(--primary-ink);
}

img,
svg {
  max-width: 100%;
}

button,
input,
select,
textarea {
  font: inherit;
  color: inherit;
}

:focus-visible {
  outline: 3px solid var(--accent);
  outline-offset: 2px;
}

.sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  border: 0;
}

.skip-link {
  position: absolute;
  left: 1rem;
  top: -3rem;
  z-index: 100;
  background: var(--primary);
  color: var(--on-primary);
  padding: 0.5rem 1rem;
  border-radius: 8px;
}

.skip-link:focus {
  top: 1rem;
}

.container {
  width: min(1120px, 100% - 2.5rem);
  margin-inline: auto;
}

.narrow {
  width: min(760px, 100% - 2.5rem);
}

.muted {
  color: var(--muted);
}

.small {
  font-size: 0.9rem;
}

.eyebrow {
  text-transform: uppercase;
  letter-spacing: 0.12em;
  font-size: 0.78rem;
  font-weight: 700;
  color: var(--primary-ink);
  margin-bottom: 0.75rem;
}

.btn {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 0.4rem;
  padding: 0.75rem 1.4rem;
  border-radius: 999px;
  border: 2px solid var(--primary);
  background: var(--primary);
  color: var(--on-primary);
  font-weight: 650;
  text-decoration: none;
  cursor: pointer;
  transition: transform 0.15s ease, background 0.15s ease, box-shadow 0.15s ease;
}

.btn:hover {
  background: var(--primary-strong);
  border-color: var(--primary-strong);
  transform: translateY(-1px);
  box-shadow: var(--shadow);
}

.btn:disabled {
  opacity: 0.5;
  cursor: not-allowed;
  transform: none;
  box-shadow: none;
}

.btn-ghost {
  background: transparent;
  color: var(--primary-ink);
}

.btn-ghost:hover {
  background: var(--primary-soft);
  border-color: var(--primary);
}

.btn-small {
  padding: 0.45rem 1rem;
  font-size: 0.92rem;
}

.chip {
  display: inline-flex;
  align-items: center;
  gap: 0.35rem;
  padding: 0.4rem 0.9rem;
  border-radius: 999px;
  border: 1px solid var(--border);
  background: var(--surface);
  font-size: 0.9rem;
  font-weight: 600;
}

button.chip {
  cursor: pointer;
}

button.chip[aria-pressed='true'] {
  background: var(--primary);
  border-color: var(--primary);
  color: var(--on-primary);
}

.badge {
  display: inline-block;
  padding: 0.2rem 0.65rem;
  border-radius: 999px;
  background: var(--accent-soft);
  color: var(--accent-ink);
  font-size: 0.75rem;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.06em;
}

/* Header */
.site-header {
  position: sticky;
  top: 0;
  z-index: 50;
  background: color-mix(in srgb, var(--bg) 86%, transparent);
  backdrop-filter: blur(12px);
  border-bottom: 1px solid var(--border);
}

.header-inner {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1rem;
  min-height: 68px;
}

.brand {
  display: inline-flex;
  align-items: center;
  gap: 0.6rem;
  font-family: var(--font-heading);
  font-weight: 700;
  font-size: 1.15rem;
  color: var(--text);
  text-decoration: none;
}

.brand-mark {
  display: grid;
  place-items: center;
  width: 2.2rem;
  height: 2.2rem;
  border-radius: 10px;
  background: var(--primary-soft);
}

.site-nav {
  display: flex;
  align-items: center;
  gap: 1.4rem;
}

.site-nav a:not(.btn) {
  color: var(--text);
  text-decoration: none;
  font-weight: 550;
}

.site-nav a:not(.btn):hover {
  color: var(--primary-ink);
}

.nav-toggle {
  display: none;
  background: none;
  border: 1px solid var(--border);
  border-radius: 10px;
  padding: 0.35rem 0.7rem;
  cursor: pointer;
}

/* Hero */
.hero {
  padding: clamp(3.5rem, 8vw, 6.5rem) 0;
  background:
    radial-gradient(circle at 85% 20%, var(--accent-soft), transparent 45%),
    linear-gradient(180deg, var(--primary-soft), var(--bg));
}

.hero-compact {
  padding: clamp(2.5rem, 5vw, 3.5rem) 0 2rem;
}

.hero-compact h1 {
  font-size: clamp(2rem, 4vw, 2.8rem);
}

.hero-inner {
  display: grid;
  grid-template-columns: 1.3fr 1fr;
  gap: 3rem;
  align-items: center;
}

.lead {
  font-size: 1.3rem;
  font-weight: 550;
}

.hero-text {
  color: var(--muted);
  max-width: 38rem;
}

.hero-actions {
  display: flex;
  flex-wrap: wrap;
  gap: 0.8rem;
  margin-top: 1.6rem;
}

.hero-art {
  position: relative;
  display: grid;
  place-items: center;
  aspect-ratio: 1;
  border-radius: 32px;
  background: linear-gradient(145deg, var(--primary), var(--accent));
  box-shadow: var(--shadow);
}

.hero-emoji {
  font-size: clamp(5rem, 12vw, 8rem);
  filter: drop-shadow(0 10px 20px rgba(0, 0, 0, 0.2));
}

.hero-chips {
  position: absolute;
  inset: auto 1rem 1rem 1rem;
  display: flex;
  flex-wrap: wrap;
  justify-content: center;
  gap: 0.5rem;
}
`;
