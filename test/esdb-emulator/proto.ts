/**
 * The EventStoreDB gRPC contract, taken from the generated code that ships inside
 * `@eventstore/db-client` (the same .proto files the real server implements). Only the wire
 * definitions are used here, never the client API; this file is the emulator's single doorway
 * to that package so the dependency stays easy to see.
 */
export { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
export type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
export { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
export type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
export {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
export { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
export {
  AccessDenied,
  AllStreamPosition,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
export { Status } from '@eventstore/db-client/generated/status_pb';
export { Code } from '@eventstore/db-client/generated/code_pb';
export { Any } from 'google-protobuf/google/protobuf/any_pb';
export { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
