// A stand-in for the page's Document where a test needs only querySelector on <meta> tags:
// the tags are parsed back out of the HTML, with its attribute escapes undone.

/** Just enough of a Document for readBasePath. */
export function docOf(html: string): Pick<Document, 'querySelector'> {
  return {
    querySelector: ((selector: string) => {
      const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1];
      const content = new RegExp(`<meta name="${name}" content="([^"]*)">`).exec(html)?.[1];
      if (content === undefined) return null;
      const value = content.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      return { getAttribute: (attr: string) => (attr === 'content' ? value : null) };
    }) as Document['querySelector'],
  };
}
