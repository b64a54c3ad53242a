import { describe, expect, it } from 'vitest';
import { renderList, renderOne } from './format.js';
import { containerRow, displayPorts, imageRows } from './rows.js';
import { tabwrite } from './table.js';
import { Template } from './template.js';
import { bytesSize, humanDuration, humanSize, ramInBytes } from './units.js';

describe('go-units', () => {
  it('prints sizes like docker', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(1000)).toBe('1kB');
    expect(humanSize(4_261_376)).toBe('4.261MB');
    expect(humanSize(1_234_567_890)).toBe('1.235GB');
    expect(bytesSize(1024 * 1024 * 1.5)).toBe('1.5MiB');
  });

  it('prints durations like docker', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(1000)).toBe('1 second');
    expect(humanDuration(45_000)).toBe('45 seconds');
    expect(humanDuration(90_000)).toBe('About a minute');
    expect(humanDuration(10 * 60_000)).toBe('10 minutes');
    expect(humanDuration(3_600_000)).toBe('About an hour');
    expect(humanDuration(5 * 3_600_000)).toBe('5 hours');
    expect(humanDuration(3 * 86_400_000)).toBe('3 days');
    expect(humanDuration(20 * 86_400_000)).toBe('2 weeks');
    expect(humanDuration(100 * 86_400_000)).toBe('3 months');
    expect(humanDuration(800 * 86_400_000)).toBe('2 years');
  });

  it('parses RAM sizes in binary units', () => {
    expect(ramInBytes('1024')).toBe(1024);
    expect(ramInBytes('512m')).toBe(512 * 1024 ** 2);
    expect(ramInBytes('1.5GB')).toBe(1.5 * 1024 ** 3);
    expect(ramInBytes('12q')).toBe("invalid suffix: 'q'");
  });
});

describe('Go templates', () => {
  const data = {
    ID: 'abc',
    Names: 'web',
    State: { Status: 'running', Running: true },
    Labels: { b: '2', a: '1' },
    List: ['x', 'y'],
  };
  it.each([
    ['{{.ID}}', 'abc'],
    ['{{.ID}} {{.Names}}', 'abc web'],
    ['{{.State.Status}}', 'running'],
    ['{{json .State}}', '{"Status":"running","Running":true}'],
    ['{{.Names | upper}}', 'WEB'],
    ['{{upper .Names}}', 'WEB'],
    ['{{index .Labels "a"}}', '1'],
    ['{{join .List ","}}', 'x,y'],
    ['{{range .List}}[{{.}}]{{end}}', '[x][y]'],
    ['{{range $.List}}{{.}}{{end}}', 'xy'],
    ['{{if .State.Running}}up{{else}}down{{end}}', 'up'],
    ['{{if eq .Names "db"}}db{{else}}other{{end}}', 'other'],
    ['{{with .State}}{{.Status}}{{end}}', 'running'],
    ['{{len .List}}', '2'],
    ['{{.Missing}}', '<no value>'],
    ['{{.Labels}}', 'map[a:1 b:2]'],
    ['{{printf "%s-%s" .ID .Names}}', 'abc-web'],
    ['{{- .ID -}}  ', 'abc'],
  ])('%s', (src, want) => {
    expect(new Template(src).execute(data)).toBe(want);
  });

  it('calls methods with arguments ({{.Label "k"}})', () => {
    expect(new Template('{{.Label "a"}}').execute({ Label: (k: string) => `v-${k}` })).toBe('v-a');
  });

  it('reports bad templates', () => {
    expect(() => new Template('{{.ID')).toThrow('unclosed action');
    expect(() => new Template('{{if .X}}')).toThrow('missing {{end}}');
    expect(() => new Template('{{nope .X}}').execute({})).toThrow('function "nope" not defined');
  });
});

describe('tables and --format', () => {
  it('pads columns like text/tabwriter(minwidth 10, padding 3)', () => {
    expect(tabwrite('CONTAINER ID\tIMAGE\tNAMES\nabc\tbusybox\tweb\n')).toBe(
      'CONTAINER ID   IMAGE     NAMES\nabc            busybox   web\n',
    );
  });

  const c = {
    Id: 'f'.repeat(64),
    Names: ['/web'],
    Image: 'busybox',
    Command: 'sh -c "while true; do sleep 1; done"',
    Created: 1_700_000_000,
    Ports: [
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 443, Type: 'tcp' },
    ],
    Labels: { tier: 'front' },
    State: 'running',
    Status: 'Up 2 minutes',
  };
  const now = 1_700_000_000_000 + 120_000;

  it('renders docker ps default table', () => {
    const row = containerRow(c, { trunc: true, now });
    const text = renderList([row], {
      format: undefined,
      defaultTable:
        'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
      headers: { ID: 'CONTAINER ID', RunningFor: 'CREATED' },
    });
    const [head, line] = text.split('\n');
    expect(head).toBe(
      'CONTAINER ID   IMAGE     COMMAND                   CREATED         STATUS         PORTS                           NAMES',
    );
    expect(line).toBe(
      'ffffffffffff   busybox   "sh -c \\"while true; …"   2 minutes ago   Up 2 minutes   0.0.0.0:8080->80/tcp, 443/tcp   web',
    );
  });

  it('supports table TEMPLATE, raw templates, json, -q and {{.Label}}', () => {
    const row = containerRow(c, { trunc: true, now });
    const f = { defaultTable: 'table {{.ID}}', quiet: '{{.ID}}', headers: { ID: 'CONTAINER ID' } };
    expect(renderList([row], { ...f, format: 'table {{.Names}}\\t{{.State}}' })).toBe(
      'NAMES     STATE\nweb       running\n',
    );
    expect(renderList([row], { ...f, format: '{{.Names}}: {{.Label "tier"}}' })).toBe('web: front\n');
    expect(renderList([row], { ...f, format: undefined, isQuiet: true })).toBe('ffffffffffff\n');
    expect(JSON.parse(renderList([row], { ...f, format: 'json' }))).toMatchObject({
      ID: 'ffffffffffff',
      Names: 'web',
    });
    expect(renderList([], { ...f, format: undefined })).toBe('CONTAINER ID\n');
  });

  it('lists an image once per tag, untagged as <none>', () => {
    const img = {
      Id: `sha256:${'a'.repeat(64)}`,
      RepoTags: ['busybox:latest', 'busybox:1'],
      Created: 0,
      Size: 4_261_376,
    };
    expect(imageRows(img, { trunc: true }).map((r) => [r.Repository, r.Tag, r.ID, r.Size])).toEqual([
      ['busybox', 'latest', 'aaaaaaaaaaaa', '4.261MB'],
      ['busybox', '1', 'aaaaaaaaaaaa', '4.261MB'],
    ]);
    expect(imageRows({ ...img, RepoTags: [] }, { trunc: true })[0]).toMatchObject({
      Repository: '<none>',
      Tag: '<none>',
    });
  });

  it('formats ports and single objects', () => {
    expect(displayPorts([{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }])).toBe(
      '[::]:8080->80/tcp',
    );
    expect(renderOne({ State: { Status: 'exited' } }, '{{.State.Status}}')).toBe('exited\n');
  });
});
