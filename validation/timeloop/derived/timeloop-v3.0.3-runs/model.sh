#!/bin/sh
# timeloop-model v3.0.3 prices fixed mappings (timeloop-mapper 2022's and TRIM's) with the derived ERT
export LD_LIBRARY_PATH=/work/tl-build/timeloop/build
TM=/work/tl-build/timeloop/build/timeloop-model
ERT=/work/main/validation/timeloop/derived/eyeriss_like-int16.ERT.yaml
for case in "ispass_int16-timeloop-mapper /work/main/validation/timeloop/inputs/ispass_timeloop+accelergy/prob/prob.yaml" "ispass_int16-trim-search /work/main/validation/timeloop/inputs/ispass_timeloop+accelergy/prob/prob.yaml" "alexnet_layer1-timeloop-mapper /work/main/validation/timeloop/inputs/baseline_designs/layer_shapes/AlexNet/AlexNet_layer1.yaml" "alexnet_layer1-trim-search /work/main/validation/timeloop/inputs/baseline_designs/layer_shapes/AlexNet/AlexNet_layer1.yaml"; do
  set -- $case
  mkdir -p /work/tl-build/runs/model-$1 && cd /work/tl-build/runs/model-$1 && $TM /work/main/validation/timeloop/inputs/ispass_timeloop+accelergy/arch/eyeriss_like-int16.yaml $2 /work/main/validation/timeloop/derived/$1.map.yaml $ERT > log.txt 2>&1
  echo "$1: $(grep -E '^(Energy|Cycles):' timeloop-model.stats.txt | tr '\n' ' ')"
done
