package io.liteboxd.installer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates install.yaml. The file is read as a node tree (not bound to classes) so each
 * error can name the file, the line and the field path; all errors are collected and thrown
 * together in one {@link ConfigException}.
 */
public final class ConfigLoader {
  /** Keys under cluster.registries.configs whose values are credentials. */
  private static final Set<String> REGISTRY_SECRETS = Set.of("password", "token", "auth", "identitytoken");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystemEnv() {
    return new ConfigLoader(System.getenv());
  }

  /**
   * @param clusterOnly the liteboxd section's chart and configDir are then optional
   */
  public InstallConfig load(Path file, boolean clusterOnly) throws ConfigException {
    String name = file.toString();
    ConfigErrors errors = new ConfigErrors(name);
    Node root;
    try (Reader r = Files.newBufferedReader(file)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(r);
    } catch (MarkedYAMLException e) {
      errors.add(e.getProblemMark().getLine() + 1, "", "not valid YAML: " + e.getProblem());
      throw new ConfigException(errors.list());
    } catch (IOException e) {
      errors.add(1, "", "cannot read: " + e.getMessage());
      throw new ConfigException(errors.list());
    }
    if (root == null) {
      errors.add(1, "", "the file is empty");
      throw new ConfigException(errors.list());
    }
    Path dir = file.toAbsolutePath().getParent();
    YamlMap top = new YamlMap(root, "", errors, new EnvExpander(env, errors));
    top.allow("cluster", "network", "liteboxd", "runtime");
    if (!top.has("cluster")) top.error("cluster", "is required");
    ClusterConfig cluster = cluster(top.map("cluster"), dir);
    NetworkConfig network = network(top.map("network"), dir);
    LiteboxdConfig liteboxd = liteboxd(top.map("liteboxd"), dir, clusterOnly);
    RuntimeConfig runtime = runtime(top.map("runtime"), dir);
    if (!errors.isEmpty()) throw new ConfigException(errors.list());
    return new InstallConfig(file, cluster, network, liteboxd, runtime);
  }

  private ClusterConfig cluster(YamlMap m, Path dir) {
    m.allow("name", "master", "agents", "k3s", "registries");
    String name = m.string("name", "liteboxd");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) m.error("name", "must be letters, digits, '.', '_' or '-'");
    if (!m.has("master")) m.error("master", "is required");
    NodeConfig master = node(m.map("master"));
    List<NodeConfig> agents = new ArrayList<>();
    List<YamlMap> agentMaps = m.maps("agents");
    for (YamlMap a : agentMaps) agents.add(node(a));
    uniqueNodes(m, master, agents, agentMaps);
    if (!m.has("k3s")) m.error("k3s", "is required");
    K3sConfig k3s = k3s(m.map("k3s"), dir, master);
    YamlMap reg = m.map("registries");
    reg.allow("mirrors", "configs");
    Map<String, Object> registries = m.plain("registries", REGISTRY_SECRETS);
    return new ClusterConfig(name, master, List.copyOf(agents), k3s, registries);
  }

  private NodeConfig node(YamlMap m) {
    m.allow("host", "port", "user", "password", "sudo", "nodeIP");
    String host = m.required("host");
    int port = m.integer("port", 22, 1, 65535);
    String user = m.string("user", "root");
    Secret password = m.secret("password", true);
    String passwordEnv = m.envReference("password");
    boolean sudo = m.bool("sudo", false);
    String nodeIP = m.string("nodeIP", host);
    if (nodeIP.isEmpty()) nodeIP = host;
    return new NodeConfig(host, port, user, password, sudo, nodeIP, passwordEnv);
  }

  /**
   * A machine listed twice would be installed twice, as server and agent at once. Machines are
   * told apart by host:port (test machines may share a host behind forwarded ports) and must
   * announce distinct node IPs, by which nodes are matched to machines.
   */
  private void uniqueNodes(YamlMap m, NodeConfig master, List<NodeConfig> agents, List<YamlMap> agentMaps) {
    Map<String, String> addresses = new HashMap<>();
    Map<String, String> ips = new HashMap<>();
    addresses.put(master.address(), "cluster.master");
    ips.put(master.nodeIP(), "cluster.master");
    for (int i = 0; i < agents.size(); i++) {
      NodeConfig a = agents.get(i);
      YamlMap am = agentMaps.get(i);
      if (a.host().isEmpty()) continue;
      String where = am.path();
      String firstAddress = addresses.putIfAbsent(a.address(), where);
      if (firstAddress != null) {
        am.error("host", "duplicate machine " + a.address() + " (also " + firstAddress + ")");
        continue;
      }
      String firstIp = ips.putIfAbsent(a.nodeIP(), where);
      if (firstIp != null) {
        am.error(am.has("nodeIP") ? "nodeIP" : "host", "duplicate nodeIP " + a.nodeIP() + " (also " + firstIp
            + ")" + (am.has("nodeIP") ? "" : "; machines sharing a host need distinct nodeIP"));
      }
    }
  }

  private K3sConfig k3s(YamlMap m, Path dir, NodeConfig master) {
    m.allow("version", "source", "mirror", "scriptUrl", "airgapBundle", "serverArgs", "agentArgs", "tlsSan", "apiAddress");
    String version = m.required("version");
    if (!version.isEmpty() && !version.matches("v\\d+\\.\\d+\\.\\d+\\+k3s\\d+")) {
      m.error("version", "must look like v1.31.4+k3s1 (got '" + version + "')");
    }
    K3sSource source = m.enumValue("source", K3sSource.class, K3sSource.ONLINE);
    K3sMirror mirror = m.enumValue("mirror", K3sMirror.class, K3sMirror.DEFAULT);
    String scriptUrl = m.string("scriptUrl", mirror.defaultScriptUrl());
    Path bundle = null;
    if (source == K3sSource.AIRGAP) {
      if (m.has("mirror") || m.has("scriptUrl")) {
        m.error(m.has("mirror") ? "mirror" : "scriptUrl", "applies to source: online only");
      }
      String b = m.required("airgapBundle");
      if (!b.isEmpty()) {
        bundle = dir.resolve(b).normalize();
        if (!Files.isDirectory(bundle)) {
          m.error("airgapBundle", "directory " + bundle + " does not exist");
        } else {
          for (String needed : List.of("install.sh", "k3s")) {
            if (!Files.isRegularFile(bundle.resolve(needed))) {
              m.error("airgapBundle", bundle + " has no file " + needed);
            }
          }
        }
      }
    } else if (m.has("airgapBundle")) {
      m.error("airgapBundle", "applies to source: airgap only");
    }
    if (!scriptUrl.startsWith("https://") && !scriptUrl.startsWith("http://")) {
      m.error("scriptUrl", "must be an http(s) URL");
    }
    String api = m.string("apiAddress", master.nodeIP());
    if (api.isEmpty()) api = master.nodeIP();
    return new K3sConfig(
        version, source, mirror, scriptUrl, bundle,
        List.copyOf(m.strings("serverArgs")), List.copyOf(m.strings("agentArgs")), List.copyOf(m.strings("tlsSan")), api);
  }

  private NetworkConfig network(YamlMap m, Path dir) {
    m.allow("cni", "cilium");
    Cni cni = m.enumValue("cni", Cni.class, Cni.CILIUM);
    YamlMap c = m.map("cilium");
    if (cni == Cni.NONE) {
      if (m.has("cilium")) m.error("cilium", "applies to cni: cilium only");
      return new NetworkConfig(cni, null);
    }
    c.allow("chart", "version", "namespace", "values", "valuesFiles");
    if (!m.has("cilium")) m.error("cilium", "is required when cni is cilium (cilium.chart at least)");
    Path chart = existing(c, "chart", dir, false);
    String version = c.string("version", "");
    String ns = c.string("namespace", "kube-system");
    Map<String, Object> values = c.plain("values", Set.of());
    List<Path> files = new ArrayList<>();
    List<String> names = c.strings("valuesFiles");
    for (int i = 0; i < names.size(); i++) {
      Path p = dir.resolve(names.get(i)).normalize();
      if (!Files.isRegularFile(p)) c.error("valuesFiles", "[" + i + "] file " + p + " does not exist");
      files.add(p);
    }
    return new NetworkConfig(cni, new CiliumConfig(chart, version, ns, values, List.copyOf(files)));
  }

  private LiteboxdConfig liteboxd(YamlMap m, Path dir, boolean clusterOnly) {
    m.allow("chart", "release", "namespaceSystem", "namespaceSandbox", "configDir", "images", "timeoutSeconds");
    Path chart = clusterOnly ? optionalPath(m, "chart", dir) : existing(m, "chart", dir, false);
    String release = m.string("release", "liteboxd");
    String sys = m.string("namespaceSystem", "liteboxd-system");
    String sandbox = m.string("namespaceSandbox", "liteboxd-sandbox");
    Path configDir = clusterOnly ? optionalPath(m, "configDir", dir) : existing(m, "configDir", dir, true);
    YamlMap images = m.map("images");
    images.allow("registry", "tag");
    String registry = images.string("registry", null);
    String tag = images.string("tag", null);
    int timeout = m.integer("timeoutSeconds", 600, 1, 86_400);
    return new LiteboxdConfig(chart, release, sys, sandbox, configDir, registry, tag, timeout);
  }

  private RuntimeConfig runtime(YamlMap m, Path dir) {
    m.allow("parallelism", "sshTimeoutSeconds", "commandTimeoutSeconds", "readyTimeoutSeconds",
        "removeAbsentAgents", "dryRun", "knownHostsFile");
    return new RuntimeConfig(
        m.integer("parallelism", 4, 1, 64),
        m.integer("sshTimeoutSeconds", 15, 1, 3600),
        m.integer("commandTimeoutSeconds", 1200, 1, 86_400),
        m.integer("readyTimeoutSeconds", 300, 1, 86_400),
        m.bool("removeAbsentAgents", false),
        m.bool("dryRun", false),
        optionalPath(m, "knownHostsFile", dir));
  }

  private static Path optionalPath(YamlMap m, String key, Path dir) {
    String v = m.string(key, "");
    return v.isEmpty() ? null : dir.resolve(v).normalize();
  }

  /** A required path, relative to the config file's directory, that must exist (file or dir). */
  private static Path existing(YamlMap m, String key, Path dir, boolean dirOnly) {
    String v = m.required(key);
    if (v.isEmpty()) return null;
    Path p = dir.resolve(v).normalize();
    if (dirOnly && !Files.isDirectory(p)) m.error(key, "directory " + p + " does not exist");
    else if (!Files.exists(p)) m.error(key, p + " does not exist");
    return p;
  }
}
