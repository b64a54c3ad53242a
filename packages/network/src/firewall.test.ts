import { describe, expect, it } from 'vitest';
import { firewallScript, forwardRestoreScript } from './firewall.js';

describe("berth's nft table", () => {
  it('replaces the whole table atomically: isolation pairs, internal bridges, loopback guard', () => {
    const s = firewallScript('berth_t', [
      { bridge: 'brA', subnet: '10.1.0.0/24', internal: false, masquerade: true },
      { bridge: 'brI', subnet: '10.2.0.0/24', internal: true, masquerade: true },
    ]);
    expect(s.startsWith('table ip berth_t\ndelete table ip berth_t\ntable ip berth_t {\n')).toBe(true);
    expect(s).toContain('iifname { "brA", "brI" } ip daddr 127.0.0.0/8 ct status & dnat == 0 drop');
    expect(s).toContain('iifname . oifname { "brA" . "brI", "brI" . "brA" } drop');
    expect(s).toContain('iifname "brI" oifname != "brI" drop');
    expect(s).toContain('oifname "brI" iifname != "brI" drop');
    expect(s).not.toContain('iifname "brA" oifname != "brA"');
    expect(s).toContain('ip saddr 10.1.0.0/24 oifname != "brA" masquerade');
    expect(s).not.toContain('10.2.0.0/24');
  });

  it('with no networks only deletes the table', () => {
    expect(firewallScript('berth_t', [])).toBe('table ip berth_t\ndelete table ip berth_t\n');
  });

  it("FORWARD accept chain for iptables-restore: replies and DNAT'd flows in, everything out", () => {
    expect(
      forwardRestoreScript('BERTH-FWD-x', [
        { bridge: 'brA', subnet: '10.1.0.0/24', internal: false, masquerade: true },
      ]),
    ).toBe(
      '*filter\n:BERTH-FWD-x - [0:0]\n' +
        '-A BERTH-FWD-x -o brA -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT\n' +
        '-A BERTH-FWD-x -i brA -j ACCEPT\nCOMMIT\n',
    );
  });
});
