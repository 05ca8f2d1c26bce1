import { describe, expect, it } from 'vitest';
import { html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, number and nested list', () => {
    const prompt = `<script>alert("x")</script> & 'quotes' \`tick\``;
    const out = html`<p title="${prompt}">${prompt}</p>
      <ul>
        ${['<a>', 1].map((v) => html`<li>${v}</li>`)}
      </ul>`;
    expect(out.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;tick&#96;</p>' +
        '<ul><li>&lt;a&gt;</li><li>1</li></ul>',
    );
  });

  it('leaves out null, undefined and false, and keeps Html as is', () => {
    expect(html`a${null}b${undefined}c${false}d${raw('<br>')}`.value).toBe('abcd<br>');
  });
});
