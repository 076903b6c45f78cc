// e2e tests wait on a real control plane: every wait inside is a bounded
// poll, and this is the outer bound of one test.
import { jest } from '@jest/globals';

jest.setTimeout(180_000);
