/**
 * The import's column mapping (views/contacts/campaign.hbs): once a file is chosen, its
 * first 64 KB go to the preview, and each column gets a choice of what it becomes, started
 * from the server's proposal (the campaign's saved mapping, the column's name or alias).
 * The import sends the choices as the form's `mapping` field, before the file.
 */
import { request } from '../common/api-client';
import { find } from '../common/dom';

const PREVIEW_BYTES = 64 * 1024;

export interface MappedColumn {
  header: string;
  to: string;
}

interface PreviewColumn extends MappedColumn {
  index: number;
  samples: string[];
}

interface Preview {
  encoding: string;
  delimiter: string;
  mappingId: number | null;
  columns: PreviewColumn[];
}

/** Fills `{name}`-style placeholders of a text the page gave in its language. */
function filled(text: string, args: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);
}

/** The mapping the coordinator chose, or null when no preview was shown. */
export type MappingChoices = () => MappedColumn[] | null;

export function startMapping(form: HTMLFormElement): MappingChoices {
  const box = find(form, '#import-mapping');
  const list = find(box, '[data-columns]');
  const detected = find(box, '[data-detected]');
  const targets = find(form, '#import-targets', HTMLTemplateElement);
  const words = find(form, '#import-words').dataset;
  const input = find(form, 'input[type="file"]', HTMLInputElement);
  let shown: PreviewColumn[] | null = null;

  function choice(column: PreviewColumn): HTMLLIElement {
    const item = document.createElement('li');
    const id = `import-column-${column.index}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = column.header;
    const select = document.createElement('select');
    select.id = id;
    select.dataset.header = column.header;
    select.append(targets.content.cloneNode(true));
    const extra = (value: string, text: string) => {
      if ([...select.options].some((option) => option.value === value)) return;
      select.insertBefore(new Option(text, value), select.lastElementChild);
    };
    extra(`custom:${column.header}`, filled(words.custom ?? '', { name: column.header }));
    if (column.to.startsWith('custom:')) {
      extra(column.to, filled(words.custom ?? '', { name: column.to.slice(7) }));
    }
    if (column.to.startsWith('phone:')) {
      extra(column.to, filled(words.phone ?? '', { label: column.to.slice(6) }));
    } else {
      const label = column.header.toLowerCase().slice(0, 30);
      extra(`phone:${label}`, filled(words.phone ?? '', { label }));
    }
    select.value = column.to;
    item.append(label, select);
    if (column.samples.length > 0) {
      const samples = document.createElement('span');
      samples.className = 'hint';
      samples.textContent = `${words.sample ?? ''} ${column.samples.slice(0, 3).join(' · ')}`;
      item.append(samples);
    }
    return item;
  }

  function show(preview: Preview): void {
    shown = preview.columns;
    list.replaceChildren(...preview.columns.map(choice));
    const delimiter = preview.delimiter === '\t' ? 'TAB' : preview.delimiter;
    detected.textContent =
      filled(words.detected ?? '', { encoding: preview.encoding.toUpperCase(), delimiter }) +
      (preview.mappingId !== null ? ` ${words.saved ?? ''}` : '');
    box.hidden = false;
  }

  function hide(): void {
    shown = null;
    list.replaceChildren();
    box.hidden = true;
  }

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return hide();
    const body = new FormData();
    body.append('file', file.slice(0, PREVIEW_BYTES), file.name);
    request<Preview>(form.dataset.preview ?? '', { method: 'POST', form: body })
      .then((answer) => (answer.body ? show(answer.body) : hide()))
      // The import itself will say what is wrong with the file.
      .catch(hide);
  });
  form.addEventListener('reset', hide);

  return () =>
    shown &&
    [...list.querySelectorAll('select')].map((select) => ({
      header: select.dataset.header ?? '',
      to: select.value,
    }));
}
