// The GameServerSet controller: owns the pods of each set directly, scales by
// ops priority, and updates by recreate or in place.
export { registerGameServerSetController, GAME_SERVER_SET_CONTROLLER, type GameServerSetControllerOptions } from './register.js';
