// Original file: proto/supervisor.proto

import type { Image as _berth_supervisor_v1_Image, Image__Output as _berth_supervisor_v1_Image__Output } from '../../../berth/supervisor/v1/Image.js';

export interface ListImagesResponse {
  'images'?: (_berth_supervisor_v1_Image)[];
}

export interface ListImagesResponse__Output {
  'images': (_berth_supervisor_v1_Image__Output)[];
}
