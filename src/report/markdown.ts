// The report as Markdown, in the shape SREs write postmortems; it renders on GitHub.
import type { Report } from './build.js';
import { reportBlocks, type Block } from './document.js';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

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
      return [`${'#'.repeat(b.level)} ${b.text}`, ''];
    case 'para':
      return [b.text, ''];
    case 'facts':
      return [...b.rows.map(([k, v]) => `- **${k}:** ${v}`), ''];
    case 'list':
      return [...b.items.map((i) => `- ${i}`), ''];
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
