/** The room-id rule lives in the protocol, shared with the client; the domain uses it from there. */
export {
  type PrivateRoomMembers,
  isGeneralRoom,
  isPrivateRoomMember,
  privateRoomId,
  privateRoomMembers,
} from '../../protocol/room-ids.js';
