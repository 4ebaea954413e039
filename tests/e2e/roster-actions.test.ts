/**
 * The teacher's hands on the roster, in Chromium: rename a student (the name filter still applies),
 * remove one, and let them back in, while the students are real socket.io clients; lock the lobby, and
 * let one name in while a phone waits at the door; set the class size, so a phone past it is told the
 * game is full. Needs a production build (`npm test` runs
 * `next build` first).
 */
import { describe, expect, it } from 'vitest';
import type { StudentView } from '../../lib/protocol';
import { screenshot, VIEWPORTS } from '../helpers/browser';
import { openSession } from '../helpers/classroom';
import { setUpBrowserClass } from '../helpers/browser-class';
import { Client } from '../helpers/sockets';

const clients: Client[] = [];

const arena = setUpBrowserClass({ closeBeforePeople: () => clients.forEach((client) => client.disconnect()) });

async function student(code: string, nickname: string): Promise<{ client: Client; secret: string }> {
  const client = await Client.connect(arena.booted.url);
  clients.push(client);
  const joined = await client.must('seat:join', { code, nickname });
  return { client, secret: joined.playerSecret };
}

describe('the roster', () => {
  it('renames a student, refuses a rude name, removes a student and lets them back in', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const page = teacher.page;
    const code = await openSession(page, arena.booted.url, 'the-cat-sat');
    const ada = await student(code, 'Ada');
    const bo = await student(code, 'Bo');
    await page.locator('.roster tr[data-player="Bo"]').waitFor();

    // Rename: the phone and the roster both carry the new name.
    await page.getByRole('button', { name: 'Rename Ada' }).click();
    await page.getByLabel('New name for Ada').fill('Adaline');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.roster tr[data-player="Adaline"]').waitFor();
    await ada.client.waitForView<StudentView>((v) => v.me.nickname === 'Adaline', 'the new name on the phone');

    // A name the filter refuses is refused for the teacher too, with the reason on the dashboard.
    await page.getByRole('button', { name: 'Rename Adaline' }).click();
    await page.getByLabel('New name for Adaline').fill('Fuck you');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.dash-controls__status.is-error').innerText()).toMatch(/\S/);
    expect(await page.locator('.roster tr[data-player="Adaline"]').count()).toBe(1);

    // Remove Bo: his phone is told, and his secret no longer brings him back.
    const before = bo.client.pushed.length;
    await page.getByRole('button', { name: 'Remove Bo' }).click();
    await page.locator('dialog[data-confirm="kick-Bo"] button[data-confirm-action="kick-Bo"]').click();
    await bo.client.waitForPush('player:kicked', before);
    await page.locator('.roster tr[data-player="Bo"].is-kicked').waitFor();
    const outside = await Client.connect(arena.booted.url);
    clients.push(outside);
    expect((await outside.refused('seat:rejoin', { code, playerSecret: bo.secret })).code).toBe('auth/kicked');

    // Let him back in: the same secret returns him to the session.
    await page.getByRole('button', { name: 'Let Bo back in' }).click();
    await page.locator('dialog[data-confirm="readmit-Bo"] button[data-confirm-action="readmit-Bo"]').click();
    await page.locator('.roster tr[data-player="Bo"]:not(.is-kicked)').waitFor();
    const back = await Client.connect(arena.booted.url);
    clients.push(back);
    const rejoined = await back.must('seat:rejoin', { code, playerSecret: bo.secret });
    expect(rejoined.view.me.nickname).toBe('Bo');
    await screenshot(page, 'roster-actions');
    expect(teacher.errors).toEqual([]);
  });

  it('locks the lobby: a phone is told so at the door, and joins once the teacher lets its name in', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const code = await openSession(teacher.page, arena.booted.url, 'the-cat-sat');
    await teacher.page.getByRole('switch', { name: 'Lock the lobby' }).click();
    await teacher.page.getByRole('heading', { name: 'Let a name in' }).waitFor();

    const phone = await arena.person(VIEWPORTS.phone);
    await phone.page.goto(`${arena.booted.url}/join?code=${code}`);
    await phone.page.getByLabel('Nickname').fill('Mia');
    await phone.page.getByRole('button', { name: 'Join the game' }).click();
    await phone.page.getByText('The teacher has locked the game. Tell them the name you typed').waitFor();
    await screenshot(phone.page, 'join-lobby-locked');
    expect(phone.page.url()).toMatch(/\/join\?code=/);

    // Another name is still refused after Mia's is let in: the lock admits one name, once.
    await teacher.page.getByLabel(/The lobby is locked/).fill('Mia');
    await teacher.page.getByRole('button', { name: 'Let in' }).click();
    await teacher.page.getByText('Mia can join now.').waitFor();
    const stranger = await Client.connect(arena.booted.url);
    clients.push(stranger);
    expect((await stranger.refused('seat:join', { code, nickname: 'Noor' })).code).toBe('join/lobby-locked');

    await phone.page.getByRole('button', { name: 'Join the game' }).click();
    await phone.page.waitForURL(new RegExp(`/play/${code}$`));
    await teacher.page.locator('.roster tr[data-player="Mia"]').waitFor();
    expect(teacher.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  it('sets the class size on the dashboard: a phone past it is told the game is full', async () => {
    const teacher = await arena.person(VIEWPORTS.desktop);
    const code = await openSession(teacher.page, arena.booted.url, 'the-cat-sat');
    const size = teacher.page.getByLabel('Class size');
    expect(await size.inputValue()).toBe('300');

    // Out of range is not sent; the field says what it takes and keeps the value in force.
    await size.fill('5000');
    await size.press('Enter');
    await teacher.page.getByText('A whole number from 1 to 1000; kept 300.').waitFor();
    expect(await size.inputValue()).toBe('300');

    await size.fill('2');
    await size.press('Enter');
    // The field shows what the session holds once the server has it.
    await expect.poll(() => size.inputValue()).toBe('2');
    await student(code, 'Ada');
    await student(code, 'Bo');
    await teacher.page.locator('.roster tr[data-player="Bo"]').waitFor();

    const phone = await arena.person(VIEWPORTS.phone);
    await phone.page.goto(`${arena.booted.url}/join?code=${code}`);
    await phone.page.getByLabel('Nickname').fill('Cy');
    await phone.page.getByRole('button', { name: 'Join the game' }).click();
    await phone.page.getByText('This game is full. Ask your teacher.').waitFor();
    expect(teacher.errors).toEqual([]);
  });
});
