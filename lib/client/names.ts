/**
 * Friendly nickname suggestions ("Curious Otter"): for students who freeze at an empty name box, and
 * so a class never has to read an unkind name off the projector. The server still checks every name.
 */

const ADJECTIVES = [
  'Brave', 'Bright', 'Busy', 'Calm', 'Clever', 'Cosy', 'Curious', 'Daring', 'Eager', 'Fancy',
  'Gentle', 'Giddy', 'Happy', 'Jolly', 'Kind', 'Lively', 'Lucky', 'Merry', 'Mighty', 'Nimble',
  'Plucky', 'Polite', 'Quick', 'Quiet', 'Rapid', 'Sleepy', 'Snappy', 'Sunny', 'Swift', 'Witty',
] as const;

const ANIMALS = [
  'Badger', 'Beaver', 'Bison', 'Crane', 'Dolphin', 'Falcon', 'Ferret', 'Gecko', 'Heron', 'Ibis',
  'Koala', 'Lemur', 'Llama', 'Lynx', 'Marmot', 'Moose', 'Narwhal', 'Newt', 'Otter', 'Owl',
  'Panda', 'Puffin', 'Quokka', 'Rabbit', 'Raven', 'Seal', 'Sloth', 'Tapir', 'Walrus', 'Wombat',
] as const;

/** Every name the generator can make (for tests). */
export function allSuggestions(): string[] {
  return ADJECTIVES.flatMap((adjective) => ANIMALS.map((animal) => `${adjective} ${animal}`));
}

/**
 * A friendly name, different from `avoid` where possible (so "suggest again" always changes it).
 * `random` returns numbers in [0, 1).
 */
export function suggestNickname(random: () => number = Math.random, avoid?: string): string {
  for (let tries = 0; tries < 8; tries++) {
    const adjective = ADJECTIVES[Math.floor(random() * ADJECTIVES.length) % ADJECTIVES.length];
    const animal = ANIMALS[Math.floor(random() * ANIMALS.length) % ANIMALS.length];
    const name = `${adjective} ${animal}`;
    if (name !== avoid) return name;
  }
  return avoid === 'Curious Otter' ? 'Clever Owl' : 'Curious Otter';
}
