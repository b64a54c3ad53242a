// Original file: proto/supervisor.proto

import type { ContentInfo as _berth_supervisor_v1_ContentInfo, ContentInfo__Output as _berth_supervisor_v1_ContentInfo__Output } from '../../../berth/supervisor/v1/ContentInfo.js';

export interface ListContentResponse {
  'infos'?: (_berth_supervisor_v1_ContentInfo)[];
}

export interface ListContentResponse__Output {
  'infos': (_berth_supervisor_v1_ContentInfo__Output)[];
}
