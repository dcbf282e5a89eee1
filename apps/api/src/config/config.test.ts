import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const production = { NODE_ENV: 'production', UNSUBSCRIBE_SECRET: 'u'.repeat(32) };

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 4000,
      HOST: 'localhost',
      LOG_LEVEL: 'info',
      SERVER_TIMING: true,
      SEED_DEMO_DATA: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toMatch(/\.data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('turns demo data off in production unless asked for', () => {
    expect(loadConfig(production).SEED_DEMO_DATA).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO_DATA: 'true' }).SEED_DEMO_DATA).toBe(true);
  });

  it('keeps Server-Timing detail off in production unless asked for', () => {
    expect(loadConfig(production).SERVER_TIMING).toBe(false);
    expect(loadConfig({ ...production, SERVER_TIMING: 'true' }).SERVER_TIMING).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).SERVER_TIMING).toBe(true);
  });

  it('serves /metrics only with a token, and bounds sessions by idle time and age', () => {
    const config = loadConfig({});
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config).toMatchObject({ SESSION_IDLE_DAYS: 7, SESSION_MAX_DAYS: 30 });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SLOW_QUERY_MS: '-1' }, 'SLOW_QUERY_MS'],
    [{ SERVER_TIMING: 'yes' }, 'SERVER_TIMING'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: `${'x'.repeat(32)} y` }, 'METRICS_TOKEN'],
    [{ SESSION_IDLE_DAYS: '0' }, 'SESSION_IDLE_DAYS'],
    [{ SESSION_IDLE_DAYS: '40', SESSION_MAX_DAYS: '30' }, 'SESSION_IDLE_DAYS'],
    [{ TRUST_PROXY: '10.0.0.1,web-server' }, 'TRUST_PROXY'],
    [{ REQUEST_TIMEOUT_SECONDS: '0' }, 'REQUEST_TIMEOUT_SECONDS'],
    [{ UNSUBSCRIBE_SECRET: 'short' }, 'UNSUBSCRIBE_SECRET'],
    [{ NODE_ENV: 'production' }, 'UNSUBSCRIBE_SECRET'],
    [{ DATABASE_REPLICA_URL: 'postgres://localhost/replica' }, 'DATABASE_REPLICA_URL'],
    [{ REPLICA_MAX_LAG_MS: '-5' }, 'REPLICA_MAX_LAG_MS'],
  ])('stops on %o with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n${variable}: `));
  });

  it('reads TRUST_PROXY as a list of addresses and CIDR ranges, none when unset', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
  });

  it('treats an empty DATABASE_URL as unset (embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('reads from the primary alone unless a replica is configured', () => {
    expect(loadConfig({}).DATABASE_REPLICA_URL).toBeUndefined();
    expect(loadConfig({}).REPLICA_MAX_LAG_MS).toBe(2000);
    const withReplica = loadConfig({
      DATABASE_URL: 'postgres://localhost/app',
      DATABASE_REPLICA_URL: 'postgres://replica/app',
    });
    expect(withReplica.DATABASE_REPLICA_URL).toBe('postgres://replica/app');
  });
});
