// The html tag escapes by default; only raw() and html itself make markup that is inserted as it is.
import { describe, expect, it } from 'vitest';
import { attributes, escapeHtml, html, Html, raw, type HtmlValue } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('plain text')).toBe('plain text');
  });
});

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const value = `<script>alert('x')</script>"&`;
    expect(html`<p title="${value}">${value}</p>`.toString()).toBe(
      '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</p>',
    );
  });

  it('inserts Html as it is and nests', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><b>a&lt;b</b></p>');
  });

  it('joins arrays and prints nothing for null, undefined and false', () => {
    const items: HtmlValue[] = ['<1>', html`<i>2</i>`, null, false, undefined, 3, ['<4>']];
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul>&lt;1&gt;<i>2</i>3&lt;4&gt;</ul>');
    const show = false;
    expect(html`a${show && html`<b>`}b`.toString()).toBe('ab');
  });

  it('escapes a look-alike object rather than trusting it', () => {
    const forged = { toString: () => '<script>' } as unknown as Html;
    expect(() => html`${forged}`).toThrow(TypeError);
    expect(forged instanceof Html).toBe(false);
  });

  it('refuses true, objects and functions: a template mistake, not data', () => {
    expect(() => html`${true as unknown as string}`).toThrow(TypeError);
    expect(() => html`${{} as unknown as string}`).toThrow(/cannot interpolate/);
    expect(() => html`${(() => 'x') as unknown as string}`).toThrow(TypeError);
  });
});

describe('raw', () => {
  it('marks trusted markup', () => {
    expect(html`<div>${raw('<svg></svg>')}</div>`.toString()).toBe('<div><svg></svg></div>');
    expect(raw('<b>')).toBeInstanceOf(Html);
  });

  it('takes only strings', () => {
    expect(() => raw(1 as unknown as string)).toThrow(TypeError);
  });
});

describe('attributes', () => {
  it('prints values escaped, true as a bare name, and drops false, null and undefined', () => {
    expect(attributes({ type: 'text', value: `"'<&`, required: true, checked: false, autofocus: null, pattern: undefined, maxlength: 64 }).toString()).toBe(
      ' type="text" value="&quot;&#39;&lt;&amp;" required maxlength="64"',
    );
  });

  it('refuses a name that is not an attribute name', () => {
    expect(() => attributes({ 'onclick="x" a': 'y' })).toThrow(TypeError);
    expect(() => attributes({ 'Value': 'y' })).toThrow(TypeError);
  });
});
