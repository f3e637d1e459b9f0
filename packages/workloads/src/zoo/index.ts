import { TrimUserError, type Network } from '@trim-dse/core';
import type { LoadOptions } from '../schema.js';
import { alexnet } from './alexnet.js';
import { bertBase, bertEncoder } from './bert.js';
import { mobilenetv2 } from './mobilenetv2.js';
import { resnet18, resnet50 } from './resnet.js';
import { vgg16 } from './vgg16.js';
import { decoder, GPT2_SMALL, LLAMA3_8B } from '../transformer/decoder.js';
import { vitB16 } from '../transformer/vit.js';
import { GPT3_175B, LLAMA3_70B } from './llm.js';

export { alexnet } from './alexnet.js';
export { bertBase, bertEncoder, BERT_BASE, type BertOptions } from './bert.js';
export { mobilenetv2 } from './mobilenetv2.js';
export { resnet18, resnet50 } from './resnet.js';
export { vgg16 } from './vgg16.js';
export type { ZooOptions } from './options.js';
export { GPT3_175B, LLAMA3_70B } from './llm.js';

/** Built-in networks by name. */
export const ZOO: Readonly<Record<string, (o: LoadOptions) => Network>> = {
  alexnet: (o) => alexnet(o.batch, o),
  vgg16: (o) => vgg16(o.batch, o),
  resnet18: (o) => resnet18(o.batch, o),
  resnet50: (o) => resnet50(o.batch, o),
  mobilenetv2: (o) => mobilenetv2(o.batch, o),
  'bert-base': (o) => bertEncoder(o.batch, o),
  'bert-base-seq512': (o) => {
    if (o.seqLen !== undefined && o.seqLen !== 512) {
      throw new TrimUserError(`workload bert-base-seq512 has 512 tokens, but seqLen ${o.seqLen} was given`, {
        field: 'seqLen',
        fix: 'use bert-base with seqLen, or drop seqLen',
      });
    }
    return bertEncoder(o.batch, { ...o, seqLen: 512 });
  },
  'bert-base-block': (o) => bertBase(o.batch, o),
  'gpt2-small': (o) => decoder(GPT2_SMALL, o),
  'llama3-8b': (o) => decoder(LLAMA3_8B, o),
  'gpt3-175b': (o) => decoder(GPT3_175B, o),
  'llama3-70b': (o) => decoder(LLAMA3_70B, o),
  'vit-b16': (o) => vitB16(o.batch, o),
};
