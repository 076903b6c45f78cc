// winston JSON logs on stdout. An `Error` in log metadata serializes as `{}`
// by default, so an `err` format turns it into message, stack, code and the
// API reason. For an API error only the code and the parsed Status
// reason/message are logged: its `.message` embeds response headers.
import type { Writable } from 'node:stream';
import winston from 'winston';
import { apiErrorInfo } from '../runtime/errors.js';

export type Logger = winston.Logger;

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface SerializedError {
  readonly name?: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: number | string;
  readonly reason?: string;
  readonly cause?: SerializedError;
}

/** A JSON-friendly view of anything thrown. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  const api = apiErrorInfo(error);
  if (api) {
    return {
      name: 'ApiError',
      message: api.message ?? `HTTP ${api.code}`,
      code: api.code,
      ...(api.reason ? { reason: api.reason } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(cause !== undefined && depth < 3 ? { cause: serializeError(cause, depth + 1) } : {}),
    };
  }
  return { message: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}

const errorFields = winston.format((info) => {
  for (const field of ['err', 'error']) {
    if (field in info && info[field] !== undefined) info[field] = serializeError(info[field]);
  }
  return info;
});

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** json (default) or text: `time level message key=value ...` for a terminal. */
  readonly format?: LogFormat;
  /** Where to write (default stdout); tests pass a stream to read the lines back. */
  readonly stream?: Writable;
  readonly defaultMeta?: Record<string, unknown>;
}

/** One line per entry: `12:00:01.123 info  message key=value ...`, errors with their message and code. */
const textLine = winston.format.printf((info) => {
  const { level, message, timestamp, ...fields } = info;
  const time = typeof timestamp === 'string' ? timestamp.slice(11, 23) : '';
  const rendered = Object.entries(fields)
    .filter(([key]) => typeof key === 'string')
    .map(([key, value]) => {
      if (key === 'err' || key === 'error') {
        const error = value as SerializedError;
        return `${key}=${JSON.stringify([error.message, error.code, error.reason].filter((part) => part !== undefined).join(' '))}`;
      }
      return `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`;
    });
  return [time, level.padEnd(5), String(message), ...rendered].join(' ');
});

export function createLogger(options: LoggerOptions = {}): Logger {
  const render = options.format === 'text' ? textLine : winston.format.json();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), errorFields(), render),
    transports: [options.stream ? new winston.transports.Stream({ stream: options.stream }) : new winston.transports.Console()],
  });
}

/** A logger that drops everything (tests and tools). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
