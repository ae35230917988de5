// The recurrent layers (keras.layers: SimpleRNN, LSTM, GRU, their cells, RNN, Bidirectional,
// TimeDistributed).
#pragma once

#include "keras/layers/rnn/bidirectional.hpp"
#include "keras/layers/rnn/gru.hpp"
#include "keras/layers/rnn/lstm.hpp"
#include "keras/layers/rnn/rnn.hpp"
#include "keras/layers/rnn/simple_rnn.hpp"
#include "keras/layers/rnn/time_distributed.hpp"
