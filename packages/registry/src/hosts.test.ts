import { describe, expect, it } from 'vitest';
import {
  isInsecure,
  isLoopback,
  mirrorBaseUrl,
  pullEndpoints,
  registryBaseUrl,
  registryEndpoint,
} from './hosts.js';

describe('hosts', () => {
  it('treats 127.0.0.0/8, ::1 and localhost as loopback, with or without port', () => {
    for (const host of ['127.0.0.1:5000', '127.3.4.5', 'localhost:5000', 'localhost', '[::1]:5000', '::1']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['128.0.0.1', 'example.com:5000', '10.0.0.1', 'localhost.example.com']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('matches insecure-registries by host, host:port and CIDR', () => {
    expect(isInsecure('reg.local:5000', ['reg.local:5000'])).toBe(true);
    expect(isInsecure('reg.local:5000', ['reg.local'])).toBe(true);
    expect(isInsecure('reg.local:5001', ['reg.local:5000'])).toBe(false);
    expect(isInsecure('10.1.2.3:5000', ['10.0.0.0/8'])).toBe(true);
    expect(isInsecure('11.1.2.3:5000', ['10.0.0.0/8'])).toBe(false);
    expect(isInsecure('ghcr.io', [])).toBe(false);
  });

  it('uses http for loopback, https elsewhere, and the Hub API host for docker.io', () => {
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });

  it('marks insecure-registries entries (not loopback) for unchecked https with an http fallback', () => {
    expect(registryEndpoint('reg.local:5000', ['reg.local:5000'])).toEqual({
      registry: 'reg.local:5000',
      baseUrl: 'https://reg.local:5000',
      mirror: false,
      insecureTls: true,
    });
    expect(registryEndpoint('reg.local:5000', []).insecureTls).toBeUndefined();
    expect(registryEndpoint('127.0.0.1:5000', ['127.0.0.0/8']).insecureTls).toBeUndefined();
  });

  it('puts mirrors before Docker Hub, and only for Docker Hub', () => {
    const options = {
      insecureRegistries: [],
      registryMirrors: ['https://mirror.example/prefix/', 'm2.example'],
    };
    expect(pullEndpoints('docker.io', options).map((e) => [e.baseUrl, e.mirror, e.registry])).toEqual([
      ['https://mirror.example/prefix', true, 'mirror.example'],
      ['https://m2.example', true, 'm2.example'],
      ['https://registry-1.docker.io', false, 'docker.io'],
    ]);
    expect(pullEndpoints('ghcr.io', options).map((e) => e.baseUrl)).toEqual(['https://ghcr.io']);
  });

  it('refuses a mirror that is not an http(s) URL', () => {
    expect(() => mirrorBaseUrl('ftp://x', [])).toThrow(expect.objectContaining({ code: 'EINVALID' }));
  });
});
