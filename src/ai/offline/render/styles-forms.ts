/** Styles for forms, the footer, small screens and reduced motion. */

export const LAYOUT_CSS = `/* Forms */
input,
select,
textarea {
  width: 100%;
  padding: 0.7rem 0.9rem;
  border: 1px solid var(--border);
  border-radius: 10px;
  background: var(--surface);
}

input:focus,
select:focus,
textarea:focus {
  outline: 2px solid var(--primary);
  outline-offset: 1px;
}

input[type='checkbox'],
input[type='radio'] {
  width: auto;
  accent-color: var(--primary);
}

label {
  display: grid;
  gap: 0.35rem;
  font-weight: 600;
  font-size: 0.95rem;
}

.form-card {
  display: grid;
  gap: 1rem;
  align-content: start;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.8rem;
  box-shadow: var(--shadow);
}

.form-error {
  color: var(--danger);
  font-weight: 600;
  margin: 0;
}

.contact-grid {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 3rem;
  align-items: start;
}

.contact-list {
  list-style: none;
  padding: 0;
  margin: 0;
  display: grid;
  gap: 1rem;
}

.contact-list li {
  display: flex;
  gap: 0.9rem;
  align-items: flex-start;
}

.contact-icon {
  display: grid;
  place-items: center;
  flex: none;
  width: 2.5rem;
  height: 2.5rem;
  border-radius: 10px;
  background: var(--primary-soft);
}

/* Footer */
.site-footer {
  padding: 3rem 0 1.5rem;
  border-top: 1px solid var(--border);
  background: var(--surface);
}

.footer-inner {
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  gap: 2rem;
}

.footer-nav {
  display: flex;
  flex-wrap: wrap;
  gap: 0.6rem 1.4rem;
}

.footer-nav a {
  color: var(--text);
  text-decoration: none;
}

.footer-bottom {
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  gap: 1rem;
  margin-top: 2rem;
  padding-top: 1.2rem;
  border-top: 1px solid var(--border);
}

@media (max-width: 860px) {
  .hero-inner,
  .about-grid,
  .contact-grid {
    grid-template-columns: 1fr;
  }

  .hero-art {
    max-width: 360px;
    width: 100%;
    margin-inline: auto;
  }

  .nav-toggle {
    display: inline-block;
  }

  .site-nav {
    display: none;
    position: absolute;
    top: 100%;
    left: 0;
    right: 0;
    flex-direction: column;
    align-items: stretch;
    gap: 0.2rem;
    padding: 0.8rem 1.25rem 1.2rem;
    background: var(--bg);
    border-bottom: 1px solid var(--border);
    box-shadow: var(--shadow);
  }

  .site-nav.open {
    display: flex;
  }

  .site-nav a:not(.btn) {
    padding: 0.6rem 0;
  }
}

@media (prefers-reduced-motion: reduce) {
  html {
    scroll-behavior: auto;
  }

  * {
    transition: none !important;
  }
}
`;
