// The independent Keras for keras-cpp's tests: TensorFlow.js (pure JavaScript, CPU backend).
// Usage: node harness.js request.json response.json
//   request:  {"model": <Keras-2 model topology JSON>, "weights": [T...], "inputs": [T...],
//              "training": false}
//   T:        {"shape": [...], "dtype": "float32"|"int32", "data": [flat row-major numbers]}
//   response: {"outputs": [T...]} or {"error": "message"}
// The model topology is loaded with tf.models.modelFromJSON, weights set with setWeights in
// model.weights order, and the model applied to the inputs.
const fs = require('fs');
const tf = require('@tensorflow/tfjs');

function toTensor(t) {
  return tf.tensor(t.data, t.shape, t.dtype === 'int32' ? 'int32' : 'float32');
}

async function main() {
  const [requestPath, responsePath] = process.argv.slice(2);
  const request = JSON.parse(fs.readFileSync(requestPath, 'utf8'));
  let response;
  try {
    await tf.setBackend('cpu');
    const model = await tf.models.modelFromJSON({modelTopology: request.model});
    if (request.weights && request.weights.length) {
      model.setWeights(request.weights.map(toTensor));
    }
    const inputs = request.inputs.map(toTensor);
    let out = model.apply(inputs.length === 1 ? inputs[0] : inputs,
                          {training: !!request.training});
    if (!Array.isArray(out)) out = [out];
    response = {
      outputs: out.map((o) => ({shape: o.shape, dtype: o.dtype, data: Array.from(o.dataSync())})),
      weight_names: model.weights.map((w) => w.originalName || w.name),
    };
  } catch (e) {
    response = {error: String(e && e.stack ? e.stack : e)};
  }
  fs.writeFileSync(responsePath, JSON.stringify(response));
}

main();
