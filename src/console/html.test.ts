import { describe, expect, it } from 'vitest';
import { html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, number and nested list', () => {
    const prompt = `<script>alert("x")</script> & 'quotes' \`tick\``;
    // Called through another name so the formatter leaves the markup's whitespace alone.
    const tag = html;
    const items = ['<a>', 1].map((v) => tag`<li>${v}</li>`);
    const out = tag`<p title="${prompt}">${prompt}</p><ul>${items}</ul>`;
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
