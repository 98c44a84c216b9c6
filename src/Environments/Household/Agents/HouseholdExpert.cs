namespace RetroAct.Environments.Household.Agents;

/// <summary>
/// ALFWorld's hand-coded expert without hidden information: it reads only observations, searches receptacles
/// in <see cref="SearchPrior"/> order (opening closed ones), remembers everything it saw, takes the object,
/// cleans/heats/cools it at the sink basin/microwave/fridge when the task says so, and puts it in the target
/// receptacle (twice for pick_two), or carries it to a lamp and turns the lamp on. Replies of "Nothing happens."
/// are handled (co-located receptacles are examined, refused commands are not repeated), so it never loops.
/// With <paramref name="thoughts"/> it also writes ReAct-style "think:" lines at each milestone (the plan and where
/// to search at the start, then what was found, taken, processed and put, each with the next step), so imitation
/// data carries the plan next to the actions it explains (see <see cref="ExpertThoughts"/>). Without
/// <paramref name="foundThoughts"/> it does not announce what it found ("Now I find egg 3. Next, I need to take it."):
/// the take (or use) itself says so, and a planner that can only choose among admissible commands then cannot claim
/// to have found an object that is not in front of it.
/// </summary>
public sealed class HouseholdExpert(ExpertHints? hints = null, bool thoughts = false, bool foundThoughts = true) : IHouseholdAgent
{
    private readonly ExpertHints _hints = hints ?? ExpertHints.None;
    private readonly bool _thoughts = thoughts;
    private readonly bool _foundThoughts = foundThoughts;
    /// <summary>Milestones already announced by a thought in this trial ("plan", "found egg 1", ...).</summary>
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);

    private HouseholdGoal? _goal;
    private IReadOnlyList<string> _receptacles = [];
    private readonly Dictionary<string, List<string>> _contents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _searched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _here = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _badObjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _badReceptacles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _placed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ignoreHints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    /// <summary>Receptacles learned to share a location (a refused "go to" next to them), by member.</summary>
    private readonly Dictionary<string, HashSet<string>> _sameLocation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _orders = new(StringComparer.Ordinal);
    private string? _held;
    private bool _processed;
    private bool _useMove;
    private string? _target;
    private string? _lastAction;

    /// <summary>The goal read from the opening observation (null if it was not understood).</summary>
    public HouseholdGoal? Goal => _goal;

    /// <summary>Receptacles whose contents this trial has seen, in the order first seen.</summary>
    public IReadOnlyCollection<string> Searched => _searched;

    public void Reset(string openingObservation)
    {
        _goal = HouseholdGoal.Parse(openingObservation);
        _receptacles = HouseholdText.OpeningReceptacles(openingObservation);
        _contents.Clear(); _searched.Clear(); _closed.Clear(); _here.Clear(); _unreachable.Clear();
        _badObjects.Clear(); _badReceptacles.Clear(); _placed.Clear(); _ignoreHints.Clear(); _failures.Clear(); _orders.Clear(); _sameLocation.Clear();
        _held = null; _processed = false; _useMove = false; _target = null; _lastAction = null; _announced.Clear();
    }

    public string NextAction(string observation)
    {
        // A thought changes nothing in the world; its reply ("OK.") carries no information.
        if (_lastAction is not null && !ExpertThoughts.IsThought(_lastAction)) Observe(_lastAction, HouseholdText.StripArrival(observation));
        _lastAction = (_thoughts ? NextThought() : null) ?? Decide();
        return _lastAction;
    }

    /// <summary>The thought due at this point of the trial, once per milestone, or null.</summary>
    private string? NextThought()
    {
        if (_goal is null || _receptacles.Count == 0) return null;
        if (_announced.Add("plan")) return ExpertThoughts.Plan(_goal, Order(_goal.Object));
        bool lookTask = _goal.TaskType == Generation.HouseholdTaskTypes.Look;
        if (_held is null)
        {
            if (_placed.Count == 1 && _goal.Count == 2 && Known(_goal.Object) is null && _announced.Add("first placed"))
                return ExpertThoughts.FirstPlaced(_placed.First(), _target ?? _goal.Receptacle!, _goal.Object, Unsearched(_goal.Object));
            if (_foundThoughts && Known(_goal.Object) is var (obj, _) && _announced.Add("found " + obj)) return ExpertThoughts.Found(obj, "take it");
            return null;
        }
        if (_announced.Add("taken " + _held))
        {
            if (lookTask)
                return Known(_goal.Toggle!) is var (lamp, _) && _announced.Add("found " + lamp)
                    ? ExpertThoughts.TakenWithLampKnown(_held, lamp)
                    : ExpertThoughts.TakenForLamp(_held, _goal.Toggle!, Unsearched(_goal.Toggle!));
            if (_goal.Verb is { } verb) return ExpertThoughts.TakenForProcessing(_held, verb, ChooseAppliance());
            return ExpertThoughts.TakenForPlacing(_held, ChooseTarget());
        }
        if (lookTask)
        {
            if (_foundThoughts && Known(_goal.Toggle!) is var (lamp, _) && _announced.Add("found " + lamp)) return ExpertThoughts.Found(lamp, "use it");
            return null;
        }
        if (_goal.Verb is { } done && _processed && _announced.Add("processed " + _held))
            return ExpertThoughts.Processed(_held, done, ChooseTarget());
        return null;
    }

    private List<string> Unsearched(string objectName) => Order(objectName).Where(r => !_searched.Contains(r)).ToList();

    private string? ChooseAppliance() =>
        _goal!.Appliance is { } a ? Choose(a) ?? (_goal.Verb == "clean" ? Choose("bathtubbasin") : null) : null;

    private string? ChooseTarget() =>
        _target is not null && !_badReceptacles.Contains(_target) ? _target : Choose(_goal!.Receptacle!);

    private void Observe(string action, string obs)
    {
        if (obs.Trim().StartsWith(HouseholdText.NothingHappens, StringComparison.Ordinal))
        {
            _failures[action] = _failures.GetValueOrDefault(action) + 1;
            OnRefused(action);
            return;
        }
        if (action.StartsWith("go to ", StringComparison.Ordinal))
        {
            _here.Clear();
            _here.Add(action[6..]);
            if (_sameLocation.TryGetValue(action[6..], out var group)) _here.UnionWith(group);
        }
        if (HouseholdText.Contents(obs) is var (r, items))
        {
            _contents[r] = items.ToList();
            _searched.Add(r);
            _closed.Remove(r);
            _here.Add(r);
        }
        if (HouseholdText.ClosedReceptacle(obs) is { } closed)
        {
            _closed.Add(closed);
            _here.Add(closed);
        }
        if (HouseholdText.PickedUpFrom(obs) is var (taken, from))
        {
            _held = taken;
            _processed = false;
            if (_contents.TryGetValue(from, out var list)) list.Remove(taken);
        }
        if (HouseholdText.PutInto(obs) is var (put, into))
        {
            if (_held == put) _held = null;
            if (_contents.TryGetValue(into, out var list)) list.Add(put);
            if (_goal is not null && HouseholdText.ClassOf(put) == _goal.Object) _placed.Add(put);
        }
        if (HouseholdText.ProcessedWith(obs) is not null) _processed = true;
    }

    /// <summary>Learns from a refused command so the next decision differs.</summary>
    private void OnRefused(string action)
    {
        var words = action.Split(' ');
        if (action.StartsWith("go to ", StringComparison.Ordinal))
        {
            var r = action[6..];
            // Already standing there: a receptacle sharing our location (ALFWorld's "go to shelf 4" after shelf 3).
            if (_here.Count > 0)
            {
                _here.Add(r);
                var group = new HashSet<string>(_here, StringComparer.Ordinal);
                foreach (var member in group) _sameLocation[member] = group;
            }
            else _unreachable.Add(r);
        }
        else if (words[0] == "examine" || (words[0] == "open" && _failures[action] > 1))
        {
            var r = action[(words[0].Length + 1)..];
            _unreachable.Add(r);
            _here.Remove(r);
        }
        else if (words[0] == "open")
        {
            // Not closed after all (already open, or not openable): look at it instead.
            _closed.Remove(action[5..]);
        }
        else if (words[0] == "take" && words.Length >= 4)
        {
            var obj = $"{words[1]} {words[2]}";
            _badObjects.Add(obj);
        }
        else if (words[0] == "put" && words.Length >= 5)
        {
            // An open target refusing "put" suggests the 2024 grammar, which says "move x to y" instead.
            var target = string.Join(' ', words[4..]);
            if (!_useMove && !_closed.Contains(target)) _useMove = true;
            else if (_failures[action] > 1 || !_closed.Contains(target)) _badReceptacles.Add(target);
        }
        else if (words[0] == "move" && words.Length >= 5)
        {
            _useMove = false;
            _badReceptacles.Add(string.Join(' ', words[4..]));
        }
        else if (words[0] is "heat" or "cool" or "clean" && words.Length >= 5)
        {
            var appliance = string.Join(' ', words[4..]);
            if (_failures[action] > 1) _badReceptacles.Add(appliance);
        }
        else if (words[0] == "use" && words.Length >= 3 && _failures[action] > 1)
        {
            _badObjects.Add($"{words[1]} {words[2]}");
        }
    }

    private string Decide()
    {
        if (_goal is null || _receptacles.Count == 0) return "look";
        if (_goal.TaskType == Generation.HouseholdTaskTypes.Look)
        {
            if (_held is null) return Acquire(_goal.Object);
            if (Known(_goal.Toggle!) is var (lamp, stand)) return At(stand) ? $"use {lamp}" : GoTo(stand);
            return Search(_goal.Toggle!);
        }
        if (_held is null) return Acquire(_goal.Object);
        if (_goal.Verb is { } verb && !_processed)
        {
            var appliance = ChooseAppliance();
            if (appliance is null) return "look";
            if (!At(appliance)) return GoTo(appliance);
            var command = $"{verb} {_held} with {appliance}";
            // If ALFWorld refuses to process in a closed appliance, open it and try again.
            if (_failures.ContainsKey(command) && _closed.Contains(appliance)) return $"open {appliance}";
            return command;
        }
        _target = ChooseTarget();
        if (_target is null) return "look";
        if (!At(_target)) return GoTo(_target);
        if (_closed.Contains(_target)) return $"open {_target}";
        return _useMove ? $"move {_held} to {_target}" : $"put {_held} in/on {_target}";
    }

    /// <summary>Take a known object of the class, or keep searching for one.</summary>
    private string Acquire(string objectName)
    {
        if (Known(objectName) is var (obj, where)) return At(where) ? $"take {obj} from {where}" : GoTo(where);
        return Search(objectName);
    }

    /// <summary>A usable object of the class seen somewhere (one here first), and where.</summary>
    private (string Object, string Receptacle)? Known(string objectName)
    {
        (string, string)? elsewhere = null;
        foreach (var r in _receptacles)
        {
            if (!_contents.TryGetValue(r, out var items) || _unreachable.Contains(r)) continue;
            // An object already in a receptacle of the goal's class counts for the goal; do not take it away.
            if (_goal!.Receptacle is not null && HouseholdText.ClassOf(r) == _goal.Receptacle) continue;
            foreach (var o in items)
            {
                if (HouseholdText.ClassOf(o) != objectName || _placed.Contains(o) || _badObjects.Contains(o)) continue;
                if (At(r)) return (o, r);
                elsewhere ??= (o, r);
            }
        }
        return elsewhere;
    }

    private string Search(string objectName)
    {
        var skip = _ignoreHints.Contains(objectName) ? null : _hints.AlreadySearched.GetValueOrDefault(objectName);
        foreach (var r in _here)
        {
            if (_searched.Contains(r) || _unreachable.Contains(r) || (skip?.Contains(r) ?? false)) continue;
            return _closed.Contains(r) ? $"open {r}" : $"examine {r}";
        }
        foreach (var r in Order(objectName))
        {
            if (_searched.Contains(r) || _unreachable.Contains(r) || _here.Contains(r) || (skip?.Contains(r) ?? false)) continue;
            return GoTo(r);
        }
        // Everything the hints left has been searched: the hints were wrong, so search what they excluded.
        if (skip is not null && _ignoreHints.Add(objectName)) return Search(objectName);
        return "look";
    }

    private IReadOnlyList<string> Order(string objectName)
    {
        if (_orders.TryGetValue(objectName, out var cached)) return cached;
        var prior = SearchPrior.Order(objectName, _receptacles);
        // Objects already in a receptacle of the goal's class cannot be used, so search those last.
        var goalClass = objectName == _goal!.Object ? _goal.Receptacle : null;
        var first = _hints.CheckFirst.GetValueOrDefault(objectName, [])
            .Where(r => _receptacles.Contains(r) && HouseholdText.ClassOf(r) != goalClass);
        var order = first.Concat(prior.Where(r => HouseholdText.ClassOf(r) != goalClass))
            .Concat(prior.Where(r => HouseholdText.ClassOf(r) == goalClass))
            .Distinct(StringComparer.Ordinal).ToArray();
        _orders[objectName] = order;
        return order;
    }

    /// <summary>An instance of a receptacle class to use: one here, else one already open or never closed, else the lowest-numbered.</summary>
    private string? Choose(string receptacleName) =>
        _receptacles
            .Where(r => HouseholdText.ClassOf(r) == receptacleName && !_badReceptacles.Contains(r) && !_unreachable.Contains(r))
            .OrderByDescending(At)
            .ThenByDescending(r => _contents.ContainsKey(r))
            .ThenBy(HouseholdText.NumberOf)
            .FirstOrDefault();

    private bool At(string receptacle) => _here.Contains(receptacle);

    private static string GoTo(string receptacle) => $"go to {receptacle}";
}
