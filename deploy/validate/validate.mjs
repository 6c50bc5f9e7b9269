// Validates the manifests of deploy/kubernetes:
//  1. every document against the Kubernetes OpenAPI schema of its kind (kubernetes-models, pinned
//     in package-lock.json); a kind this script does not know is an error;
//  2. Bastion's invariants: the pod runs as uid 1001, non-root, read-only root filesystem, no
//     privilege escalation, every capability dropped, seccomp RuntimeDefault, requests and limits,
//     liveness on /healthz and readiness on /readyz (with a loopback Host), an emptyDir on /tmp;
//     the Service, NetworkPolicy, HPA and PDB select and name what exists; every secretKeyRef and
//     volume points at a key or object in the directory; Secret values are placeholders;
//  3. a self-test first: deliberately broken objects must be rejected by steps 1 and 2, so a
//     validation that can no longer fail fails.
// Usage: node validate.mjs [DIR]   (default ../kubernetes); exit status 1 on any problem.
//        node validate.mjs --print-bastion-yaml [DIR]   prints the ConfigMap's bastion.yaml.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import { Namespace, Service, ConfigMap, Secret, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

const MODELS = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};
const UID = 1001;
const HERE = dirname(fileURLToPath(import.meta.url));
// Every environment variable the server reads is in the generated configuration reference.
const KNOWN_VARIABLES = new Set(
  readFileSync(join(HERE, '..', '..', 'docs', 'configuration.md'), 'utf8').match(/`[A-Z][A-Z0-9_]+`/g)
    .map((quoted) => quoted.slice(1, -1)));

/** Schema problems of one object, as strings; empty when it is valid. */
export function schemaProblems(object) {
  const key = `${object?.apiVersion}/${object?.kind}`;
  const Model = MODELS[key];
  if (!Model) {
    return [`unknown apiVersion/kind ${key}`];
  }
  try {
    new Model(structuredClone(object)).validate();
    return [];
  } catch (error) {
    return [`${key} ${object.metadata?.name ?? '(no name)'}: ${String(error.message).split('\n')[0]}`];
  }
}

const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;

/** Bastion's invariants over the whole set of objects. */
export function invariantProblems(objects) {
  const problems = [];
  const expect = (condition, message) => { if (!condition) problems.push(message); };
  const byKind = (kind) => objects.filter((o) => o?.kind === kind);
  const one = (kind) => {
    const found = byKind(kind);
    expect(found.length === 1, `expected exactly one ${kind}, found ${found.length}`);
    return found[0];
  };
  const deployment = one('Deployment');
  const service = one('Service');
  const policy = one('NetworkPolicy');
  const hpa = one('HorizontalPodAutoscaler');
  const secret = one('Secret');
  const config = one('ConfigMap');
  if (!deployment) return problems;

  const pod = deployment.spec?.template?.spec ?? {};
  const podLabels = deployment.spec?.template?.metadata?.labels;
  const podSecurity = pod.securityContext ?? {};
  expect(podSecurity.runAsNonRoot === true, 'pod securityContext.runAsNonRoot must be true');
  expect(podSecurity.runAsUser === UID, `pod securityContext.runAsUser must be ${UID}`);
  expect(podSecurity.seccompProfile?.type === 'RuntimeDefault', 'pod seccompProfile must be RuntimeDefault');
  expect(pod.automountServiceAccountToken === false, 'the pod must not mount a service account token');
  expect((pod.containers ?? []).length > 0, 'the Deployment has no containers');
  for (const container of pod.containers ?? []) {
    const name = `container ${container.name}`;
    const sc = container.securityContext ?? {};
    expect(sc.readOnlyRootFilesystem === true, `${name}: readOnlyRootFilesystem must be true`);
    expect(sc.allowPrivilegeEscalation === false, `${name}: allowPrivilegeEscalation must be false`);
    expect(sc.privileged !== true, `${name}: must not be privileged`);
    expect(JSON.stringify(sc.capabilities?.drop) === '["ALL"]' && !(sc.capabilities?.add?.length),
      `${name}: capabilities must drop ALL and add none`);
    expect(sc.runAsNonRoot !== false && (sc.runAsUser ?? UID) === UID, `${name}: must run as ${UID}, non-root`);
    expect((sc.seccompProfile?.type ?? 'RuntimeDefault') === 'RuntimeDefault', `${name}: seccomp must be RuntimeDefault`);
    for (const resource of ['cpu', 'memory']) {
      expect(container.resources?.requests?.[resource] != null, `${name}: resources.requests.${resource} missing`);
      expect(container.resources?.limits?.[resource] != null, `${name}: resources.limits.${resource} missing`);
    }
    const probe = (kind, path) => {
      const get = container[kind]?.httpGet;
      expect(get?.path === path, `${name}: ${kind} must GET ${path}`);
      expect((get?.httpHeaders ?? []).some((h) => h.name === 'Host' && ['localhost', '127.0.0.1'].includes(h.value)),
        `${name}: ${kind} must send Host: localhost (the server refuses other Host names with 421)`);
    };
    probe('livenessProbe', '/healthz');
    probe('readinessProbe', '/readyz');
    const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
    expect(tmp && (pod.volumes ?? []).some((v) => v.name === tmp.name && v.emptyDir),
      `${name}: /tmp must be an emptyDir volume`);
    for (const env of container.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef;
      if (ref) {
        expect(ref.name === secret?.metadata?.name && secret?.stringData?.[ref.key] != null,
          `${name}: env ${env.name} refers to ${ref.name}/${ref.key}, which is not in secret.yaml`);
      }
      // A variable is either one the server reads (in the reference) or one the ConfigMap's YAML
      // reads through a ${NAME} placeholder; anything else is a typo the server would never see.
      const placeholder = new RegExp('\\$\\{' + env.name + '(:-[^}]*)?\\}');
      expect(KNOWN_VARIABLES.has(env.name) || placeholder.test(config?.data?.['bastion.yaml'] ?? ''),
        `${name}: env ${env.name} is neither in docs/configuration.md nor a \${${env.name}} placeholder of the ConfigMap`);
    }
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.configMap) {
      expect(volume.configMap.name === config?.metadata?.name, `volume ${volume.name}: no ConfigMap ${volume.configMap.name}`);
    }
  }
  expect(matches(deployment.spec?.selector?.matchLabels, podLabels), 'the Deployment selector does not match its pod labels');
  expect(matches(service?.spec?.selector, podLabels), 'the Service selector does not match the pods');
  const portNames = (pod.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name));
  const ports = (pod.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
  for (const port of service?.spec?.ports ?? []) {
    expect(portNames.includes(port.targetPort) || ports.includes(port.targetPort),
      `Service port ${port.name}: targetPort ${port.targetPort} is no container port`);
  }
  expect(matches(policy?.spec?.podSelector?.matchLabels, podLabels), 'the NetworkPolicy does not select the pods');
  expect(JSON.stringify([...(policy?.spec?.policyTypes ?? [])].sort()) === '["Egress","Ingress"]',
    'the NetworkPolicy must restrict Ingress and Egress');
  for (const rule of policy?.spec?.ingress ?? []) {
    expect((rule.from ?? []).length > 0 && (rule.from ?? []).every((peer) => peer.namespaceSelector || peer.podSelector),
      'every NetworkPolicy ingress rule must name labelled namespaces or pods');
    expect((rule.ports ?? []).length > 0 && rule.ports.every((p) => ports.includes(p.port) || portNames.includes(p.port)),
      'NetworkPolicy ingress must be limited to the MCP port');
  }
  expect(hpa?.spec?.scaleTargetRef?.kind === 'Deployment' && hpa?.spec?.scaleTargetRef?.name === deployment.metadata?.name,
    'the HPA does not scale the Deployment');
  for (const pdb of byKind('PodDisruptionBudget')) {
    expect(matches(pdb.spec?.selector?.matchLabels, podLabels), `PodDisruptionBudget ${pdb.metadata?.name} does not select the pods`);
  }
  for (const [key, value] of Object.entries(secret?.stringData ?? {})) {
    expect(/REPLACE ME/.test(value), `Secret key ${key} must hold a REPLACE ME placeholder in the repository`);
  }
  expect(Object.keys(secret?.data ?? {}).length === 0, 'Secret data must be stringData placeholders, never encoded values');
  try {
    const yamlText = config?.data?.['bastion.yaml'];
    expect(typeof yamlText === 'string', 'the ConfigMap has no bastion.yaml');
    const settings = parse(yamlText ?? '');
    expect(settings?.http?.auth?.mode && settings.http.auth.mode !== 'none', 'bastion.yaml must enable authentication');
  } catch (error) {
    problems.push(`the ConfigMap's bastion.yaml is not YAML: ${error.message}`);
  }
  return problems;
}

export function loadDirectory(dir) {
  const objects = [];
  const problems = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      if (doc.errors.length) {
        problems.push(`${file}: ${doc.errors[0].message}`);
        continue;
      }
      const object = doc.toJS();
      if (object != null) objects.push({ file, object });
    }
  }
  return { objects, problems };
}

// A validation that cannot fail is worthless: each of these breakages must be caught.
function selfTest(objects) {
  const failures = [];
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const broken = [
    ['a replica count that is a string', (d) => { d.spec.replicas = 'two'; }, 'schema'],
    ['a container without a name', (d) => { delete d.spec.template.spec.containers[0].name; }, 'schema'],
    ['a Deployment without a selector', (d) => { delete d.spec.selector; }, 'schema'],
    ['runAsNonRoot removed', (d) => { delete d.spec.template.spec.securityContext.runAsNonRoot; }, 'invariants'],
    ['a misspelt readOnlyRootFileSystem', (d) => {
      const sc = d.spec.template.spec.containers[0].securityContext;
      delete sc.readOnlyRootFilesystem; sc.readOnlyRootFileSystem = true;
    }, 'invariants'],
    ['a capability added', (d) => { d.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, 'invariants'],
    ['no memory limit', (d) => { delete d.spec.template.spec.containers[0].resources.limits.memory; }, 'invariants'],
    ['an environment variable the server does not know', (d) => {
      d.spec.template.spec.containers[0].env.push({ name: 'BASTION_NO_SUCH_SETTING', value: 'x' });
    }, 'invariants'],
    ['readiness on /healthz', (d) => { d.spec.template.spec.containers[0].readinessProbe.httpGet.path = '/healthz'; }, 'invariants'],
  ];
  for (const [label, mutate, stage] of broken) {
    const copy = structuredClone(deployment);
    mutate(copy);
    const rejected = stage === 'schema'
      ? schemaProblems(copy).length > 0
      : invariantProblems(objects.map((o) => (o === deployment ? copy : o))).length > 0;
    if (!rejected) failures.push(`self-test: ${label} was accepted by the ${stage} check`);
  }
  if (schemaProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }).length === 0) {
    failures.push('self-test: an unknown kind was accepted');
  }
  if (invariantProblems(objects).length > 0) {
    failures.push('self-test: the unmodified manifests must pass the invariants');
  }
  return failures;
}

const printConfig = process.argv[2] === '--print-bastion-yaml';
const dir = process.argv[printConfig ? 3 : 2] ?? join(HERE, '..', 'kubernetes');
const { objects: loaded, problems } = loadDirectory(dir);
if (printConfig) {
  // For scripts/kubernetes-validate.sh, which checks it with `bastion config`.
  const text = loaded.find((o) => o.object.kind === 'ConfigMap')?.object?.data?.['bastion.yaml'];
  if (typeof text !== 'string') {
    console.error('kubernetes: no ConfigMap with bastion.yaml');
    process.exit(1);
  }
  process.stdout.write(text);
  process.exit(0);
}
for (const { file, object } of loaded) {
  for (const problem of schemaProblems(object)) problems.push(`${file}: ${problem}`);
}
const objects = loaded.map((o) => o.object);
problems.push(...invariantProblems(objects));
if (problems.length === 0 && objects.some((o) => o.kind === 'Deployment')) {
  problems.push(...selfTest(objects));
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`kubernetes: ${problem}`);
  process.exit(1);
}
const kinds = objects.map((o) => o.kind).join(', ');
console.log(`kubernetes: ${objects.length} objects valid (${kinds}); invariants hold; self-test rejected every broken object`);
