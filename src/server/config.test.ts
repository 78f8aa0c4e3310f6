import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['false', { kind: 'none' }],
    ['0', { kind: 'none' }],
    // Never "every hop": true is the one proxy of the usual deployment.
    ['true', { kind: 'hops', hops: 1 }],
    ['2', { kind: 'hops', hops: 2 }],
    ['127.0.0.1', { kind: 'addresses', addresses: ['127.0.0.1'] }],
    ['10.0.0.0/8, loopback', { kind: 'addresses', addresses: ['10.0.0.0/8', 'loopback'] }],
  ])('reads %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses what is no address, naming the variable', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example.com' })).toThrow(
      /TRUST_PROXY must be false, a hop count, or proxy addresses/,
    );
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('reads origins, normalized as browsers send them', () => {
    expect(
      loadConfig({ ALLOWED_ORIGINS: 'https://Chat.Example.com:443, http://localhost:5173/' })
        .allowedOrigins,
    ).toEqual(['https://chat.example.com', 'http://localhost:5173']);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
  });

  it('refuses what is not an origin', () => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'chat.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'file:///tmp/x' })).toThrow(
      /ALLOWED_ORIGINS: "file:\/\/\/tmp\/x" is not an origin/,
    );
  });
});

describe('limits', () => {
  it('lets REGISTRATIONS_PER_IP_PER_HOUR be 0 (off) and refuses negative counts', () => {
    expect(loadConfig({ REGISTRATIONS_PER_IP_PER_HOUR: '0' }).registrationsPerIpPerHour).toBe(0);
    expect(loadConfig({}).registrationsPerIpPerHour).toBe(30);
    expect(() => loadConfig({ REGISTRATIONS_PER_IP_PER_HOUR: '-1' })).toThrow(
      /REGISTRATIONS_PER_IP_PER_HOUR/,
    );
  });

  it('refuses an upload minimum charge larger than the bytes of a day', () => {
    expect(loadConfig({}).uploadMinChargeBytes).toBe(65_536);
    expect(loadConfig({ UPLOADS_PER_USER_PER_MINUTE: '0' }).userLimits.uploadsPerMinute).toBe(0);
    expect(() =>
      loadConfig({ UPLOAD_BYTES_PER_DAY: '1000', UPLOAD_MIN_CHARGE_BYTES: '1001' }),
    ).toThrow(/UPLOAD_MIN_CHARGE_BYTES \(1001\) must not exceed UPLOAD_BYTES_PER_DAY/);
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('reads host:port and URLs, giving bare nodes the credentials of the URLs', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://elsewhere:6379',
      REDIS_CLUSTER_NODES: 'rediss://app:s%40cret@10.0.0.1:7000, 10.0.0.2:7001',
    });
    expect(config.redis.clusterNodes).toEqual([
      'rediss://app:s%40cret@10.0.0.1:7000',
      'rediss://app:s%40cret@10.0.0.2:7001',
    ]);
    expect(config.redis.url).toBe('rediss://app:s%40cret@10.0.0.1:7000');
  });

  it('is unset by default: a single Redis', () => {
    expect(loadConfig({ REDIS_URL: 'redis://a:1' }).redis.clusterNodes).toBeNull();
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:1,b:2' }).redis.clusterNodes).toEqual([
      'redis://a:1',
      'redis://b:2',
    ]);
  });

  it('refuses entries it cannot read and nodes with different credentials', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a' })).toThrow(/REDIS_CLUSTER_NODES: "a"/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: ' , ' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://:x@a:1,redis://:y@b:2' })).toThrow(
      /same scheme, user and password/,
    );
  });
});
