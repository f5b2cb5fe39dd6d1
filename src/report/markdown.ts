// The report as Markdown, in the shape SREs write postmortems; it renders on GitHub.
import type { Report } from './build.js';
import { reportBlocks, type Block } from './document.js';

/**
 * Text with `<` written as `&lt;` and `[` as `\[` outside its code spans: a level's title, a
 * workload's name or a note may hold what a Markdown renderer would take for HTML (`<script>`) or
 * a link (`[x](javascript:…)`); in a code span it shows as written anyway.
 */
const inert = (text: string) =>
  text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replaceAll('<', '&lt;').replaceAll('[', '\\[')))
    .join('');

const cell = (text: string) => inert(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'heading':
      return [`${'#'.repeat(b.level)} ${inert(b.text)}`, ''];
    case 'para':
      return [inert(b.text), ''];
    case 'facts':
      return [...b.rows.map(([k, v]) => `- **${inert(k)}:** ${inert(v)}`), ''];
    case 'list':
      return [...b.items.map((i) => `- ${inert(i)}`), ''];
    case 'table':
      return [...table(b.head, b.rows), ''];
    case 'charts':
    case 'cards':
      return [];
  }
}

/** Blocks as one Markdown document. */
export function markdownOf(blocks: Block[]): string {
  return `${blocks.flatMap(block).join('\n').trimEnd()}\n`;
}

export function renderMarkdown(r: Report): string {
  return markdownOf(reportBlocks(r));
}
