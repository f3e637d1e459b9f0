import { NetworkBuilder, type Network, type Precision } from '@trim-dse/core';
import { attention, dense, mlp } from './layers.js';

/** ViT-B/16 (Dosovitskiy et al., ICLR 2021, Table 1): 12 layers, hidden 768, 12 heads, MLP 3072, 16×16 patches. */
export const VIT_B16 = { layers: 12, hidden: 768, heads: 12, mlp: 3072, patch: 16, image: 224, classes: 1000 } as const;

/**
 * ViT-B/16 at 224×224: the patch embedding as an einsum over 16×16 windows (stride 16: a 3→768 convolution), a class
 * token and learned positions (rows of 1 and 197-entry tables), 12 pre-LN encoder layers, the final norm and the
 * classifier on the class token. MACs: 196·768·3·256 + 12·(12·197·768² + 2·197²·768) + 768·1000 = 17,563,828,224.
 */
export function vitB16(batch: number, o: { precision: Precision }): Network {
  const { layers, hidden, heads, patch, image, classes } = VIT_B16;
  const side = image / patch;
  const tokens = side * side + 1;
  const b = new NetworkBuilder('vit-b16', o.precision);
  const img = b.input('image', [batch, 3, image, image]);
  const patches = b.einsum('patch-embed', [img], {
    dims: [['b', batch], ['p', side], ['q', side], ['k', hidden], ['c', 3], ['r', patch], ['s', patch]],
    axes: [`b c p*${patch}+r q*${patch}+s`],
    weightAxes: 'k c r s',
    out: 'b p q k',
  });
  const rows = b.view('patch-embed.tokens', patches, 'reshape', [batch, side * side, hidden]);
  const cls = b.embedding('cls-token', b.input('cls-id', [batch, 1]), 1, hidden);
  let x = b.concat('tokens', [cls, rows], 1);
  x = b.add2('positions.add', x, b.embedding('positions', b.input('position-ids', [batch, tokens]), tokens, hidden));
  for (let i = 0; i < layers; i++) {
    const p = `encoder.${i}`;
    x = b.add2(`${p}.attn.add`, x, attention(b, `${p}.attn`, b.norm(`${p}.norm1`, x, 'layer', { affine: true }), { heads }).out);
    x = b.add2(`${p}.mlp.add`, x, mlp(b, `${p}.mlp`, b.norm(`${p}.norm2`, x, 'layer', { affine: true }), { hidden: VIT_B16.mlp, activation: 'gelu' }));
  }
  const cls0 = b.view('cls', b.norm('norm', x, 'layer', { affine: true }), 'slice', [batch, 1, hidden]);
  dense(b, 'head', cls0, classes);
  return b.build();
}
