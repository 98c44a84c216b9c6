using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Model.Generation;

/// <summary>Greedy, temperature and top-p choice of the next token from last-position logits [B, vocab].</summary>
internal static class TokenSampler
{
    /// <summary>Returns the chosen tokens [B] and their temperature-1 log-probabilities [B].</summary>
    public static (Tensor Tokens, Tensor LogProbs) Sample(Tensor logits, double temperature, double topP, Generator generator)
    {
        var logProbs = logits.log_softmax(-1);
        Tensor tokens;
        if (temperature == 0)
        {
            tokens = logits.argmax(-1, keepdim: true);
        }
        else
        {
            using var temperatureScalar = temperature.ToScalar(); // a using local: rooted during the call (RootedScalars says why)
            var probs = logits.div(temperatureScalar).softmax(-1);
            if (topP < 1.0)
            {
                var (sorted, order) = probs.sort(-1, descending: true);
                // Drop a token when the tokens strictly more likely already cover topP; the first always stays.
                using var topPScalar = topP.ToScalar();
                var dropped = (sorted.cumsum(-1) - sorted).gt(topPScalar);
                var pick = sorted.masked_fill(dropped, RootedScalars.Zero).multinomial(1, generator: generator);
                tokens = order.gather(-1, pick);
            }
            else
            {
                tokens = probs.multinomial(1, generator: generator);
            }
        }
        return (tokens.squeeze(-1), logProbs.gather(-1, tokens).squeeze(-1));
    }
}
