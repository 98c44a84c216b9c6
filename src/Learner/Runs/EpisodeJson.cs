using System.Text.Json;
using RetroAct.Core.Trajectories;

namespace RetroAct.Learner.Runs;

/// <summary>
/// An episode as one readable JSON line: task, trials (opening, actions, observations, success) and reflections.
/// Token ids and log-probabilities are left out: they are for the learner, and the MessagePack records keep them.
/// </summary>
public static class EpisodeJson
{
    public static string ToJsonLine(Episode e) => JsonSerializer.Serialize(new
    {
        task = e.Task.ToString(),
        trials = e.Trials.Select(t => new
        {
            index = t.TrialIndex,
            success = t.Success,
            @return = t.Return,
            opening = t.InitialObservation,
            turns = t.Turns.Select(u => new { action = u.Action, observation = u.Observation }),
        }),
        reflections = e.Reflections.Select(r => new { after_trial = r.AfterTrialIndex, text = r.Text }),
    });
}
