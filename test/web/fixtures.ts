// Backends for the web tests, from small real fixtures: GloVe 6B 50d (top 2,446 words) for the Words tab, and the
// files in test/fixtures/web-playground/ (made by its make.ts) for the other tabs.
import { loadWords } from '../../src/web/resources-node.ts';
import { unavailable, type Backends } from '../../src/web/backends.ts';

export const GLOVE_SUBSET = 'data/glove-subset/glove.6B.50d.top2446.txt';

export async function fixtureBackends(): Promise<Backends> {
  return {
    words: loadWords(GLOVE_SUBSET),
    sentiment: unavailable('sentiment fixture not made yet'),
    memory: unavailable('memory fixture not made yet'),
    training: unavailable('training fixture not made yet'),
    glove: unavailable('glove fixture not made yet'),
  };
}
