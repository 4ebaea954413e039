/** The set-up every e2e file shares: the real server with pages, Chromium, and the people a test opens. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { newPerson, type Person } from './classroom';
import { assertProductionBuild, bootServer, type BootedServer, type BootOptions } from './server';

/** A cleanup step for what a file made on its own, such as socket clients. */
type Cleanup = () => void | Promise<void>;

export interface BrowserClassOptions {
  /**
   * Server options over `{ backend: 'cpu', withNext: true }`. A function is called when the server
   * boots, for options only known by then (an origin another `beforeAll` has just opened).
   */
  server?: BootOptions | (() => BootOptions);
  /** Runs first at the end, before the people's contexts close. */
  closeBeforePeople?: Cleanup;
  /** Runs once the people's contexts are closed, before Chromium and the server. */
  closeAfterPeople?: Cleanup;
}

export interface BrowserClass {
  /** The server; only up inside tests and the hooks registered after `setUpBrowserClass`. */
  readonly booted: BootedServer;
  readonly browser: Browser;
  /** A person on a screen of this size (see `newPerson`), whose context closes when the file ends. */
  person(viewport: { width: number; height: number }): Promise<Person>;
  /** Everyone `person` made so far, in order: for a final look at all their errors. */
  readonly people: readonly Person[];
}

/**
 * Registers the file's `beforeAll` (a production build is required; the server and Chromium start
 * together) and `afterAll` (the file's own cleanup and the people it made, then Chromium, then the
 * server). Call it at the top level of a test file: hooks the file registers after it run once the
 * server is up, and their afterAll runs before this one (vitest runs afterAll hooks in reverse).
 */
export function setUpBrowserClass(options: BrowserClassOptions = {}): BrowserClass {
  let booted: BootedServer | undefined;
  let browser: Browser | undefined;
  const people: Person[] = [];

  beforeAll(async () => {
    assertProductionBuild();
    const server = typeof options.server === 'function' ? options.server() : options.server;
    [booted, browser] = await Promise.all([bootServer({ backend: 'cpu', withNext: true, ...server }), launchBrowser()]);
  });

  afterAll(async () => {
    await options.closeBeforePeople?.();
    // One context that fails to close must not leave the others, Chromium and the server running.
    for (const person of people) await person.context.close().catch(() => {});
    await options.closeAfterPeople?.();
    await browser?.close();
    await booted?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    // Reading it at the top level of a file, before beforeAll ran, would otherwise fail far from the cause.
    if (value === undefined) throw new Error(`setUpBrowserClass: ${what} is not started yet; use it inside a test or a later hook`);
    return value;
  };

  return {
    get booted() {
      return started(booted, 'the server');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    async person(viewport) {
      const person = await newPerson(started(browser, 'Chromium'), viewport);
      people.push(person);
      return person;
    },
    people,
  };
}
