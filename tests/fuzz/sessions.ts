/** The random sessions the fuzz tests play: one seeded step at a time, as a class and a teacher might. */
import { allowedTokens, type Actor, type GameEvent, type GameState } from '../../lib/game';
import type { SettingsPatch } from '../../lib/protocol';
import type { Room } from '../scenario/harness';

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(rng() * items.length))];
const chance = (rng: Rng, p: number) => rng() < p;

const teacher: Actor = { role: 'teacher' };
const system: Actor = { role: 'system' };

/** A random distribution over the allowed tokens, sometimes spoiled on purpose. */
function randomWeights(rng: Rng, token: number, tokenCount: number, causal: boolean): number[] {
  const allowed = allowedTokens(token, tokenCount, causal);
  const raw = new Array<number>(tokenCount).fill(0);
  for (const j of allowed) raw[j] = chance(rng, 0.3) ? 0 : rng();
  if (allowed.every((j) => raw[j] === 0)) raw[allowed[0]] = 1;
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const spoil = rng();
  if (spoil < 0.04) return weights.map((w) => w * 1.1);
  if (spoil < 0.07) return weights.slice(1);
  if (spoil < 0.1) return weights.map((w, j) => (j === 0 ? w - 0.2 : j === 1 ? w + 0.2 : w));
  if (spoil < 0.14 && tokenCount > token + 1) return weights.map((w, j) => (j === tokenCount - 1 ? w + 0.5 : j === token ? w - 0.5 : w));
  return weights;
}

export function randomSettings(rng: Rng): SettingsPatch {
  const patch: SettingsPatch = {};
  if (chance(rng, 0.3)) patch.causal = chance(rng, 0.5);
  if (chance(rng, 0.2)) patch.scale = chance(rng, 0.5);
  if (chance(rng, 0.3)) patch.botSkill = Math.round(rng() * 10) / 10;
  if (chance(rng, 0.2)) patch.timerSeconds = chance(rng, 0.3) ? null : pick(rng, [10, 30, 60]);
  if (chance(rng, 0.2)) patch.lateJoin = chance(rng, 0.7);
  if (chance(rng, 0.2)) patch.hideNamesOnStage = chance(rng, 0.5);
  if (chance(rng, 0.2)) patch.speedBonus = chance(rng, 0.5);
  if (chance(rng, 0.05)) patch.temperature = 2;
  return patch;
}

/** The next random step: an event to dispatch, or the clock / engine moving. */
export function nextStep(rng: Rng, room: Room, joined: { count: number }): GameEvent | (() => void) {
  const state = room.state;
  const players = state.players;
  const seated = state.round?.seats.flatMap((seat) => seat.members) ?? [];
  // Mostly students who can act, sometimes anyone (kicked, waiting), rarely a stranger.
  const someone = () => {
    if (seated.length > 0 && chance(rng, 0.7)) return pick(rng, seated);
    return players.length > 0 && chance(rng, 0.95) ? pick(rng, players).id : 'ghost';
  };
  const round = state.round?.number ?? 1;
  const roll = rng();
  const tokenCount = state.lesson.tokens.length;

  if (roll < 0.07) {
    joined.count++;
    const nickname = chance(rng, 0.1) ? pick(rng, ['', '  ', '<b>', players[0]?.nickname.toUpperCase() ?? 'x']) : `kid ${joined.count}`;
    return { type: 'seat:join', nickname, by: { role: 'student', playerId: chance(rng, 0.05) ? someone() : `s${joined.count}` } };
  }
  if (roll < 0.38) {
    const playerId = someone();
    const seat = state.round?.seats.find((s) => s.members.includes(playerId));
    const token = seat?.token ?? Math.floor(rng() * tokenCount);
    const causal = state.round?.options.causal ?? false;
    return {
      type: 'attention:allocate',
      round: chance(rng, 0.95) ? round : round + 1,
      weights: randomWeights(rng, token, tokenCount, causal),
      by: { role: 'student', playerId },
    };
  }
  if (roll < 0.48) {
    return { type: 'key:request', round, token: Math.floor(rng() * (tokenCount + 1)) - (chance(rng, 0.05) ? 1 : 0), by: { role: 'student', playerId: someone() } };
  }
  if (roll < 0.55) {
    const requests = state.round?.keyRequests ?? [];
    const request = requests.length > 0 ? pick(rng, requests) : null;
    const owner = request ? state.round?.seats[request.toSeat].members[0] : undefined;
    const playerId = owner && chance(rng, 0.8) ? owner : someone();
    return { type: 'key:share', round, requestId: request?.id ?? 'k0', by: { role: 'student', playerId } };
  }
  if (roll < 0.6) return { type: 'attention:lock', round, by: { role: 'student', playerId: someone() } };
  if (roll < 0.64) return { type: 'presence:disconnect', playerId: someone(), by: system };
  if (roll < 0.68) return { type: 'seat:rejoin', by: { role: 'student', playerId: someone() } };
  if (roll < 0.7) {
    const player = players.length > 0 ? pick(rng, players) : null;
    return { type: 'presence:timeout', playerId: player?.id ?? 'ghost', awaySince: player?.awaySince ?? 0, by: system };
  }
  if (roll < 0.8) {
    return () => room.advance(pick(rng, [1_000, 5_000, 20_000, 65_000, 125_000]));
  }
  if (roll < 0.83) {
    return () => {
      room.answerEngine();
    };
  }
  if (roll < 0.835 && state.round) {
    // The engine answering for a round that is over, or twice.
    return room.truthEvent(Math.max(1, round - (chance(rng, 0.5) ? 1 : 0)), state.round.options);
  }
  if (roll < 0.84) return { type: 'timer:expired', round, by: system };

  const by: Actor = chance(rng, 0.05) ? { role: 'student', playerId: someone() } : teacher;
  // Half the time the teacher moves the lesson on, as a teacher would; the rest, any control at all.
  const onward: Partial<Record<GameState['phase'], GameEvent>> = {
    lobby: { type: 'teacher:start-round', by },
    cards: { type: 'teacher:open-negotiation', by },
    locked: { type: 'teacher:reveal', by },
    reveal: { type: 'teacher:next-round', by },
  };
  const next = onward[state.phase];
  if (next && chance(rng, 0.5)) return next;
  const controls: GameEvent[] = [
    { type: 'teacher:start-round', by },
    { type: 'teacher:open-negotiation', by },
    { type: 'teacher:open-negotiation', by },
    { type: 'teacher:pause', by },
    { type: 'teacher:resume', by },
    { type: 'teacher:add-time', seconds: pick(rng, [5, 30, 60]), by },
    { type: 'teacher:lock', by },
    { type: 'teacher:reveal', by },
    { type: 'teacher:reveal', by },
    { type: 'teacher:next-round', by },
    { type: 'teacher:next-round', by },
    { type: 'teacher:reveal-keys', by },
    { type: 'teacher:reveal-step', step: Math.floor(rng() * 9) - 1, by },
    { type: 'teacher:kick', playerId: someone(), by },
    { type: 'teacher:readmit', playerId: someone(), by },
    { type: 'teacher:rename', playerId: someone(), nickname: `Renamed ${Math.floor(rng() * 1000)}`, by },
    { type: 'teacher:admit', nickname: `Latecomer ${Math.floor(rng() * 1000)}`, by },
    { type: 'teacher:settings', settings: randomSettings(rng), by },
  ];
  if (chance(rng, 0.02)) return { type: 'teacher:podium', by };
  if (chance(rng, 0.003)) return { type: 'teacher:end', by };
  return pick(rng, controls);
}
