namespace RetroAct.Actors.Protocol;

/// <summary>
/// Marker for every message that may cross a node boundary. The HOCON binding in
/// <see cref="Serialization.ClusterMessageSerializer"/> routes all of them through one MessagePack serializer,
/// so nothing falls back to Akka's default JSON serializer.
/// </summary>
public interface IClusterMessage;
