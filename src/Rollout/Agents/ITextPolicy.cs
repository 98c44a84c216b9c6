namespace RetroAct.Rollout.Agents;

/// <summary>
/// A request for one agent text: the role (which model or adapter answers) and the full prompt; for planner turns,
/// the environment's admissible commands when it lists them (a policy may restrict its greedy output to them).
/// </summary>
public sealed record GenerationRequest(AgentRole Role, string Prompt, IReadOnlyList<string>? Admissible = null);

/// <summary>
/// A language-model policy seen from the agent loop: answers a batch of prompts at once, each answer with its
/// sampled tokens, their behaviour log-probabilities and the policy version. A planner's answer is its next thought
/// or command (one line); a reflector's answer is its reflection. Implemented over a local model (serial mode) or a
/// node's PolicyServer actor (cluster mode).
/// </summary>
public interface ITextPolicy
{
    IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests);
}
