import { Option, type Command } from 'commander';

/** Tensor precisions a flag accepts (core's PRECISIONS; kept here so registering commands loads nothing heavy). */
export const PRECISION_CHOICES = ['int4', 'int8', 'int16', 'int32', 'fp8', 'fp16', 'bf16', 'fp32'];

/** The training flags `eval` and `explore` share: options of the training phase model. */
export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--optimizer <name>', 'training: optimizer (default sgd)').choices(['sgd', 'momentum', 'adam']))
    .addOption(new Option('--recompute <policy>', 'training: activation recompute (default none; selective: attention scores, softmax and dropout re-run, Korthikanti et al. 2022)').choices(['none', 'checkpoint-blocks', 'selective']))
    .addOption(new Option('--mixed <format>', 'training: mixed precision (fp32 master weights and optimizer state)').choices(['fp16', 'bf16', 'fp8']))
    .addOption(new Option('--weight-gradient <form>', 'training: loop nest of backward-weight').choices(['auto', 'reduction', 'convolution']));
}
