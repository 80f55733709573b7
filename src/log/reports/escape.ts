// Findings' titles, descriptions and names are untrusted input: every piece of text a
// renderer writes goes through one of these.

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG element content and quoted attribute values: `&`, `<`,
 * `>`, `"` and `'`. Control characters that XML forbids are dropped, so an inline SVG stays
 * well-formed.
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}

/**
 * Escapes text for one line of Markdown (a table cell, a list item, a heading): line breaks
 * become spaces, Markdown punctuation is backslash-escaped, and `<`, `>` and `&` become
 * entities so that no renderer reads HTML in it.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/\r\n|\r|\n/g, ' ')
      .replace(/[\\`*_[\]|~#]/g, (char) => `\\${char}`)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}
