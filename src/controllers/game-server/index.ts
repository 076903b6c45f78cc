// The GameServer controller: one GameServer per pod of a GameServerSet.
export { registerGameServerController, GAME_SERVER_CONTROLLER, type GameServerControllerOptions } from './register.js';
