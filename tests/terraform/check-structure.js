#!/usr/bin/env node
// Structural checks of terraform/ without a terraform binary: every .tf file is
// parsed with @cdktf/hcl2json and the deployment is checked against issue 4 and
// against the adapter's own configuration (adapter-lambda/config.h, config.c).
//
// usage: node check-structure.js REPO_ROOT
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const hcl = require('@cdktf/hcl2json');

const repo = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const tfDir = path.join(repo, 'terraform');

let passed = 0;
let failed = 0;

function check(name, fn) {
    try {
        const detail = fn();
        passed++;
        console.log(`ok - ${name}${detail ? ` (${detail})` : ''}`);
    } catch (e) {
        failed++;
        console.log(`not ok - ${name}: ${e.message}`);
    }
}

function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}

function eq(actual, expected, what) {
    const a = JSON.stringify(actual);
    const b = JSON.stringify(expected);
    assert(a === b, `${what}: expected ${b}, got ${a}`);
}

// ---------------------------------------------------------------------------
// Load and merge every .tf file of the root module.
// ---------------------------------------------------------------------------

const merged = { resource: {}, data: {}, variable: {}, output: {}, locals: {}, terraform: [], provider: {} };
const rawText = {};

function mergeFile(file, json) {
    for (const [kind, byType] of Object.entries(json.resource || {})) {
        merged.resource[kind] = merged.resource[kind] || {};
        for (const [name, blocks] of Object.entries(byType)) {
            assert(!merged.resource[kind][name], `resource ${kind}.${name} declared twice`);
            merged.resource[kind][name] = blocks[0];
        }
    }
    for (const [kind, byType] of Object.entries(json.data || {})) {
        merged.data[kind] = merged.data[kind] || {};
        for (const [name, blocks] of Object.entries(byType)) merged.data[kind][name] = blocks[0];
    }
    for (const [name, blocks] of Object.entries(json.variable || {})) {
        assert(!merged.variable[name], `variable ${name} declared twice`);
        merged.variable[name] = Object.assign({ file }, blocks[0]);
    }
    for (const [name, blocks] of Object.entries(json.output || {})) merged.output[name] = blocks[0];
    for (const block of json.locals || []) Object.assign(merged.locals, block);
    for (const block of json.terraform || []) merged.terraform.push(block);
    for (const [name, blocks] of Object.entries(json.provider || {})) merged.provider[name] = blocks[0];
}

// Resolve "${var.x}" to the variable's default, for checks of default values.
function varDefault(expr) {
    // "${var.buffer_with_sqs ? [] : var.X}": the rules S3 -> Lambda has without the queue option
    const cond = /^\$\{var\.buffer_with_sqs \? \[\] : (var\.[A-Za-z0-9_]+)\}$/.exec(String(expr));
    if (cond) expr = `\${${cond[1]}}`;
    const m = /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(String(expr));
    if (!m) return expr;
    const v = merged.variable[m[1]];
    assert(v, `var.${m[1]} is not declared`);
    return v.default;
}

function res(kind, name) {
    const r = (merged.resource[kind] || {})[name];
    assert(r, `resource ${kind}.${name} missing`);
    return r;
}

function onlyResource(kind) {
    const all = Object.entries(merged.resource[kind] || {});
    assert(all.length === 1, `expected exactly one ${kind}, found ${all.length}`);
    return all[0];
}

// The value of a parsed expression for the given variable values (defaults otherwise), for the
// forms the package paths and architectures use: "${var.X}", "${local.X}", "${path.module}"
// (as "terraform") inside strings and lists, and coalesce(var.X, "..."). Anything else throws.
function evalTf(expr, vars) {
    if (Array.isArray(expr)) return expr.map((e) => evalTf(e, vars));
    if (typeof expr !== 'string') return expr;
    const varValue = (name) => {
        assert(merged.variable[name], `var.${name} is not declared`);
        return name in vars ? vars[name] : merged.variable[name].default;
    };
    const co = /^\$\{coalesce\(var\.([a-z_]+), "(.*)"\)\}$/.exec(expr);
    if (co) {
        const v = varValue(co[1]);
        return v !== null && v !== undefined ? v : evalTf(co[2], vars);
    }
    const out = expr.replace(/\$\{(var|local|path)\.([a-z_]+)\}/g, (m, kind, name) => {
        if (kind === 'path') {
            assert(name === 'module', `unsupported ${m}`);
            return 'terraform';
        }
        if (kind === 'var') return String(varValue(name));
        assert(name in merged.locals, `local.${name} is not defined`);
        return String(evalTf(merged.locals[name], vars));
    });
    assert(!out.includes('${'), `cannot evaluate ${expr}`);
    return out;
}

// Every "${...}" string of a parsed value, recursively.
function strings(v, out = []) {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
    return out;
}

async function main() {
    const files = fs.readdirSync(tfDir).filter((f) => f.endsWith('.tf')).sort();

    await (async () => {
        for (const f of files) {
            const text = fs.readFileSync(path.join(tfDir, f), 'utf8');
            rawText[f] = text;
            let json;
            try {
                json = await hcl.parse(f, text);
            } catch (e) {
                check(`parse ${f}`, () => {
                    throw new Error(String(e.message || e).split('\n')[0]);
                });
                continue;
            }
            check(`parse ${f}`, () => mergeFile(f, json));
        }
    })();

    check('conventional module layout', () => {
        for (const f of ['versions.tf', 'variables.tf', 'outputs.tf', 'README.md'])
            assert(fs.existsSync(path.join(tfDir, f)), `terraform/${f} missing`);
        const misplaced = Object.entries(merged.variable).filter(([, v]) => v.file !== 'variables.tf');
        assert(misplaced.length === 0, `variables outside variables.tf: ${misplaced.map(([n]) => n)}`);
        return `${files.length} .tf files`;
    });

    check('aws provider pinned, region from var.region defaulting to eu-west-3', () => {
        const rp = merged.terraform.flatMap((t) => t.required_providers || []);
        const aws = rp.map((p) => p.aws).find(Boolean);
        assert(aws && aws.source === 'hashicorp/aws', 'required_providers.aws.source must be hashicorp/aws');
        assert(/\d/.test(aws.version || ''), 'aws provider version constraint missing');
        const p = merged.provider.aws;
        assert(p, 'provider "aws" block missing');
        eq(p.region, '${var.region}', 'provider region');
        eq(merged.variable.region && merged.variable.region.default, 'eu-west-3', 'var.region default');
    });

    // -----------------------------------------------------------------------
    // Function
    // -----------------------------------------------------------------------
    let fnName = null;
    let fn = null;
    check('one Lambda function with runtime, architecture, handler, memory, timeout', () => {
        // The thumbnail function; the API function (api.tf) is checked below.
        fnName = 'thumbnail';
        fn = res('aws_lambda_function', fnName);
        eq(varDefault(fn.function_name), 'tp-lambda-thumbnail', 'function_name default');
        eq(fn.runtime, 'provided.al2023', 'runtime');
        eq(fn.architectures, ['${var.architecture}'], 'architectures');
        eq(fn.handler, 'bootstrap', 'handler');
        eq(varDefault(fn.memory_size), 256, 'memory_size default');
        eq(varDefault(fn.timeout), 60, 'timeout default');
        assert(/^\$\{var\./.test(fn.memory_size) && /^\$\{var\./.test(fn.timeout), 'memory_size and timeout must be variables');
    });

    check('function code hash and layer', () => {
        assert(/filebase64sha256\(/.test(fn.source_code_hash || ''), 'source_code_hash must be filebase64sha256 of the zip');
        assert(/function\.zip/.test(JSON.stringify(merged.locals) + fn.filename), 'function filename must be function.zip');
        const [layerName, layer] = onlyResource('aws_lambda_layer_version');
        assert(/layer\.zip/.test(JSON.stringify(merged.locals) + layer.filename), 'layer filename must be layer.zip');
        assert(/filebase64sha256\(/.test(layer.source_code_hash || ''), 'layer source_code_hash missing');
        eq(layer.compatible_runtimes, ['provided.al2023'], 'layer compatible_runtimes');
        eq(layer.compatible_architectures, ['${var.architecture}'], 'layer compatible_architectures');
        eq(fn.layers, [`\${aws_lambda_layer_version.${layerName}.arn}`], 'function layers');
    });

    // var.architecture: x86_64 | arm64, each value evaluated through the module.
    check('architecture x86_64 | arm64 selects the zips, the layer and the function architecture', () => {
        const v = merged.variable.architecture;
        assert(v, 'variable "architecture" missing');
        eq(v.type, '${string}', 'var.architecture type');
        const cond = (v.validation || [])[0] || {};
        const m = /^\$\{contains\((\[[^\]]*\]), var\.architecture\)\}$/.exec(cond.condition || '');
        assert(m, `var.architecture validation must be contains([...], var.architecture), got ${cond.condition}`);
        const allowed = JSON.parse(m[1]);
        eq(allowed, ['x86_64', 'arm64'], 'architectures allowed (Lambda spells them x86_64 and arm64)');
        assert(allowed.includes(v.default), `default ${v.default} is not allowed`);
        for (const bad of ['aarch64', 'amd64', 'x86-64', 'ARM64'])
            assert(!allowed.includes(bad), `${bad} would pass the validation`);
        const [, layer] = onlyResource('aws_lambda_layer_version');
        // build-package --arch A writes dist/A/ by default, and lambda-package builds both.
        const buildPackage = fs.readFileSync(path.join(repo, 'packaging', 'build-package'), 'utf8');
        assert(/out="\$repo\/dist\/\$arch"/.test(buildPackage), 'packaging/build-package must default to dist/<arch>');
        const packageCmake = fs.readFileSync(path.join(repo, 'packaging', 'Package.cmake'), 'utf8');
        const seen = [];
        for (const arch of allowed) {
            const vars = { architecture: arch };
            eq(evalTf(fn.architectures, vars), [arch], `${arch}: function architectures`);
            eq(evalTf(layer.compatible_architectures, vars), [arch], `${arch}: layer compatible_architectures`);
            const fzip = path.normalize(evalTf(fn.filename, vars));
            const lzip = path.normalize(evalTf(layer.filename, vars));
            eq(fzip, `dist/${arch}/function.zip`, `${arch}: function zip`);
            eq(lzip, `dist/${arch}/layer.zip`, `${arch}: layer zip`);
            // The hash is of the same file as the code.
            eq(path.normalize(evalTf(fn.source_code_hash.replace(/^\$\{filebase64sha256\((local\.[a-z_]+)\)\}$/, '${$1}'), vars)),
               fzip, `${arch}: function source_code_hash file`);
            eq(path.normalize(evalTf(layer.source_code_hash.replace(/^\$\{filebase64sha256\((local\.[a-z_]+)\)\}$/, '${$1}'), vars)),
               lzip, `${arch}: layer source_code_hash file`);
            assert(packageCmake.includes(`--arch ${arch}`) && packageCmake.includes(`dist/${arch}`),
                   `lambda-package (packaging/Package.cmake) does not build dist/${arch}`);
            seen.push(`${arch} -> ${fzip}`);
        }
        const readme = fs.readFileSync(path.join(tfDir, 'README.md'), 'utf8');
        assert(/architecture/.test(readme) && /arm64/.test(readme) && /aws\.amazon\.com\/lambda\/pricing/.test(readme),
               'terraform/README.md must document var.architecture with the cited Lambda pricing');
        return `default ${v.default}; ${seen.join(', ')}`;
    });

    check('JSON logs with an application log level', () => {
        const lc = (fn.logging_config || [])[0];
        assert(lc, 'logging_config missing');
        eq(lc.log_format, 'JSON', 'log_format');
        assert(lc.application_log_level, 'application_log_level missing');
        const lvl = varDefault(lc.application_log_level);
        assert(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].includes(lvl), `application_log_level ${lvl}`);
    });

    // The adapter's variables: the names documented on the struct config
    // members ("/**< NAME ..."), less the AWS_* ones that Lambda sets itself.
    const configH = path.join(repo, 'adapter-lambda', 'config.h');
    const env = () => ((fn.environment || [])[0] || {}).variables || {};
    const apiFn = () => (merged.resource.aws_lambda_function || {}).api;
    const apiEnv = () => (((apiFn() || {}).environment || [])[0] || {}).variables || {};
    // Every variable either function sets (the API function's own: UPLOAD_*, CORS, URL_EXPIRES).
    const allEnv = () => Object.assign({}, apiEnv(), env());
    check('environment variables match the adapter (adapter-lambda/config.h)', () => {
        assert(fs.existsSync(configH), 'adapter-lambda/config.h missing');
        const names = new Set();
        for (const m of fs.readFileSync(configH, 'utf8').matchAll(/\/\*\*<\s*([A-Z][A-Z0-9_]{2,})\b/g))
            if (!m[1].startsWith('AWS_')) names.add(m[1]);
        assert(names.size >= 5, `found only ${names.size} variables in config.h`);
        const tf = Object.keys(allEnv());
        const missing = [...names].filter((n) => !tf.includes(n));
        const extra = tf.filter((n) => !names.has(n));
        assert(missing.length === 0, `not set by Terraform: ${missing}`);
        assert(extra.length === 0, `set by Terraform but unknown to the adapter: ${extra}`);
        assert(/^\$\{aws_s3_bucket\.[a-z_]+\.(id|bucket)\}$/.test(env().DEST_BUCKET), 'DEST_BUCKET must name the destination bucket');
        return `${tf.length} variables`;
    });

    // adapter-lambda/README.md: its table "| `NAME` | `default` | ... |" is the
    // documented list; Lambda sets the AWS_* ones itself.
    check('variables and defaults match adapter-lambda/README.md', () => {
        const readme = path.join(repo, 'adapter-lambda', 'README.md');
        if (!fs.existsSync(readme)) return 'adapter-lambda/README.md not written yet: config.h is the reference';
        const rows = [...fs.readFileSync(readme, 'utf8').matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|\s*([^|]*)\|/gm)]
            .filter((m) => !m[1].startsWith('AWS_'));
        assert(rows.length >= 5, `found only ${rows.length} variables in the README table`);
        const documented = rows.map((m) => m[1]);
        const tf = Object.keys(allEnv());
        const missing = documented.filter((n) => !tf.includes(n));
        const extra = tf.filter((n) => !documented.includes(n));
        assert(missing.length === 0, `documented but not set by Terraform: ${missing}`);
        assert(extra.length === 0, `set by Terraform but not documented: ${extra}`);
        const norm = (n, v) => {
            v = String(v);
            if (n === 'THUMB_SIZE' && /^\d+$/.test(v)) return `${v}x${v}`;
            return v;
        };
        let compared = 0;
        for (const [, n, cell] of rows) {
            const m = /^\s*`([^`]*)`/.exec(cell);
            if (!m) continue; // "— (required)" and the like
            let tfv = allEnv()[n];
            const list = /^\$\{join\(",", var\.([a-z_]+)\)\}$/.exec(tfv);
            const num = /^\$\{tostring\(var\.([a-z_]+)\)\}$/.exec(tfv);
            if (list) tfv = merged.variable[list[1]].default.join(',');
            else if (num) tfv = merged.variable[num[1]].default;
            else tfv = varDefault(tfv);
            eq(norm(n, tfv), norm(n, m[1]), `${n} default (README vs Terraform)`);
            compared++;
        }
        return `${documented.length} variables, ${compared} defaults compared`;
    });

    check('Terraform defaults equal the adapter defaults', () => {
        const src = [path.join(repo, 'adapter-lambda', 'config.c'), path.join(repo, 'engine', 'include', 'thumbkit.h')]
            .filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
        const def = (name) => {
            const m = new RegExp(`#define\\s+${name}\\s+(.+)`).exec(src);
            return m ? m[1].replace(/\/\*.*$/, '').trim() : null;
        };
        const num = (s) => s && s.replace(/[()uUlL]/g, '').split('*').map((x) => Number(x.trim())).reduce((a, b) => a * b, 1);
        const str = (s) => s && JSON.parse(s);
        const pairs = [
            ['KEY_PREFIX', str(def('DEFAULT_KEY_PREFIX')), varDefault(env().KEY_PREFIX)],
            ['ALLOWED_EXTENSIONS', str(def('DEFAULT_EXTENSIONS')), (merged.variable.allowed_extensions || {}).default?.join(',')],
            // the adapter's default is the engine's tk_input_extensions() (engine/src/names.c)
            ['ALLOWED_EXTENSIONS (engine)', (/tk_input_extensions\(void\)\s*\{[^}]*return\s+("[^"]*")/.exec(
                fs.readFileSync(path.join(repo, 'engine', 'src', 'names.c'), 'utf8')) || [])[1] !== undefined
                ? JSON.parse(/tk_input_extensions\(void\)\s*\{[^}]*return\s+("[^"]*")/.exec(
                    fs.readFileSync(path.join(repo, 'engine', 'src', 'names.c'), 'utf8'))[1]) : null,
                (merged.variable.allowed_extensions || {}).default?.join(',')],
            ['METRIC_NAMESPACE', str(def('DEFAULT_METRIC_NAMESPACE')), varDefault(env().METRIC_NAMESPACE)],
            ['JPEG_QUALITY', num(def('TK_DEFAULT_QUALITY')), (merged.variable.jpeg_quality || {}).default],
            ['MAX_PIXELS', num(def('TK_DEFAULT_MAX_PIXELS')), (merged.variable.max_pixels || {}).default],
            ['MAX_INPUT_BYTES', num(def('TK_DEFAULT_MAX_INPUT_BYTES')), (merged.variable.max_input_bytes || {}).default],
        ];
        const compared = pairs.filter(([, a]) => a !== null && a !== undefined);
        assert(compared.length >= 4, `adapter defaults not found (only ${compared.map((p) => p[0])})`);
        for (const [n, adapter, tf] of compared) eq(tf, adapter, `${n} default`);
        return compared.map((p) => p[0]).join(', ');
    });

    // -----------------------------------------------------------------------
    // Log group, buckets
    // -----------------------------------------------------------------------
    check('log group /aws/lambda/<function> with retention, used by the function', () => {
        const lgName = 'lambda';
        const lg = res('aws_cloudwatch_log_group', lgName);
        eq(lg.name, '/aws/lambda/${var.function_name}', 'log group name');
        eq(fn.function_name, '${var.function_name}', 'function name');
        assert(/^\$\{var\./.test(lg.retention_in_days) && varDefault(lg.retention_in_days) > 0, 'retention_in_days must be a variable');
        eq(fn.logging_config[0].log_group, `\${aws_cloudwatch_log_group.${lgName}.name}`, 'logging_config.log_group');
    });

    // The data buckets (uploads, thumbnails); the upload page's bucket (web.tf) is checked below.
    const PAGE_BUCKET = 'web';
    const buckets = () => Object.keys(merged.resource.aws_s3_bucket || {}).filter((b) => b !== PAGE_BUCKET);
    const onPageBucket = (r) => r.bucket === `\${aws_s3_bucket.${PAGE_BUCKET}[0].id}`;
    // for_each = local.X over both buckets, or one resource per bucket.
    function coversBothBuckets(kind, checkOne) {
        const all = Object.values(merged.resource[kind] || {}).filter((r) => !onPageBucket(r));
        assert(all.length > 0, `no ${kind}`);
        const covered = new Set();
        for (const r of all) {
            checkOne(r);
            if (r.for_each) {
                const m = /^\$\{local\.([a-z_]+)\}$/.exec(r.for_each);
                assert(m && merged.locals[m[1]], `${kind}.for_each must be a local map of buckets`);
                const map = merged.locals[m[1]];
                for (const v of Object.values(map)) covered.add(String(v).replace(/^\$\{aws_s3_bucket\.([a-z_]+)\}$/, '$1'));
                assert(r.bucket === '${each.value.id}' || r.bucket === '${each.value.bucket}', `${kind}.bucket must be each.value.id`);
            } else {
                const m = /^\$\{aws_s3_bucket\.([a-z_]+)\.(id|bucket)\}$/.exec(r.bucket);
                assert(m, `${kind}.bucket must reference a bucket`);
                covered.add(m[1]);
            }
        }
        for (const b of buckets()) assert(covered.has(b), `${kind} does not cover aws_s3_bucket.${b}`);
    }

    check('two buckets with force_destroy from a variable', () => {
        eq(buckets().length, 2, 'number of aws_s3_bucket');
        for (const b of buckets()) eq(res('aws_s3_bucket', b).force_destroy, '${var.force_destroy}', `${b}.force_destroy`);
        eq(merged.variable.force_destroy && merged.variable.force_destroy.type, '${bool}', 'var.force_destroy type');
    });
    check('public access blocked on both buckets', () =>
        coversBothBuckets('aws_s3_bucket_public_access_block', (r) => {
            for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
                eq(r[k], true, k);
        }));
    check('BucketOwnerEnforced on both buckets', () =>
        coversBothBuckets('aws_s3_bucket_ownership_controls', (r) => eq(r.rule[0].object_ownership, 'BucketOwnerEnforced', 'object_ownership')));
    check('server-side encryption on both buckets', () =>
        coversBothBuckets('aws_s3_bucket_server_side_encryption_configuration', (r) => {
            const alg = r.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm;
            assert(['AES256', 'aws:kms', 'aws:kms:dsse'].includes(alg), `sse_algorithm ${alg}`);
        }));

    // -----------------------------------------------------------------------
    // Trigger and permission
    // -----------------------------------------------------------------------
    let sourceBucket = null;
    check('S3 ObjectCreated trigger with .jpg/.jpeg/.png/.webp/.heic/.heif/.avif suffixes in both cases', () => {
        const [, n] = onlyResource('aws_s3_bucket_notification');
        const m = /^\$\{aws_s3_bucket\.([a-z_]+)\.(id|bucket)\}$/.exec(n.bucket);
        assert(m, 'notification bucket must reference a bucket');
        sourceBucket = m[1];
        assert(env().DEST_BUCKET !== `\${aws_s3_bucket.${sourceBucket}.id}`, 'the function must not write to the bucket that triggers it');
        let rules = (n.lambda_function || []).map((r) => ({ events: r.events, suffix: r.filter_suffix, arn: r.lambda_function_arn }));
        for (const d of [].concat(n.dynamic || []).flatMap((x) => x.lambda_function || [])) {
            const list = varDefault(d.for_each);
            assert(Array.isArray(list), 'dynamic lambda_function.for_each must be a list variable');
            const c = d.content[0];
            eq(c.filter_suffix, '${lambda_function.value}', 'dynamic filter_suffix');
            for (const s of list) rules.push({ events: c.events, suffix: s, arn: c.lambda_function_arn });
        }
        assert(rules.length > 0, 'no lambda_function rule');
        for (const r of rules) {
            assert(r.events.every((e) => e.startsWith('s3:ObjectCreated:')), `events ${r.events}`);
            eq(r.arn, `\${aws_lambda_function.${fnName}.arn}`, 'lambda_function_arn');
        }
        const suffixes = rules.map((r) => r.suffix);
        for (const s of ['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.avif'].flatMap((x) => [x, x.toUpperCase()]))
            assert(suffixes.includes(s), `suffix ${s} not covered`);
        const allowed = (merged.variable.allowed_extensions.default || []).map((x) => x.toLowerCase());
        for (const s of suffixes)
            assert(allowed.includes(s.replace(/^\./, '').toLowerCase()), `trigger suffix ${s} is not in ALLOWED_EXTENSIONS`);
        for (let i = 0; i < suffixes.length; i++)
            for (let j = 0; j < suffixes.length; j++)
                assert(i === j || !suffixes[i].endsWith(suffixes[j]), `overlapping suffixes ${suffixes[i]} / ${suffixes[j]} (S3 refuses them)`);
        assert(strings(n.depends_on || []).some((d) => d.startsWith('${aws_lambda_permission.')), 'notification must depend on the permission');
        return suffixes.join(' ');
    });

    check('invoke permission scoped to the source bucket ARN and account', () => {
        const p = res('aws_lambda_permission', 's3_invoke');
        eq(p.principal, 's3.amazonaws.com', 'principal');
        eq(p.action, 'lambda:InvokeFunction', 'action');
        assert(new RegExp(`^\\$\\{aws_lambda_function\\.${fnName}\\.(function_name|arn)\\}$`).test(p.function_name), 'function_name');
        eq(p.source_arn, `\${aws_s3_bucket.${sourceBucket}.arn}`, 'source_arn');
        assert(/account_id/.test(p.source_account || ''), 'source_account must be the caller account id');
        const acct = /^\$\{local\.([a-z_]+)\}$/.exec(p.source_account);
        if (acct) assert(/aws_caller_identity/.test(merged.locals[acct[1]]), 'source_account local must come from aws_caller_identity');
    });

    // -----------------------------------------------------------------------
    // Failures
    // -----------------------------------------------------------------------
    let queueName = null;
    check('explicit async retries and an SQS on-failure destination', () => {
        const [, c] = onlyResource('aws_lambda_function_event_invoke_config');
        assert(new RegExp(`aws_lambda_function\\.${fnName}\\.`).test(c.function_name), 'function_name');
        assert(c.maximum_retry_attempts !== undefined, 'maximum_retry_attempts must be set explicitly');
        const retries = varDefault(c.maximum_retry_attempts);
        assert(Number.isInteger(retries) && retries >= 0 && retries <= 2, `maximum_retry_attempts ${retries}`);
        assert(c.maximum_event_age_in_seconds !== undefined, 'maximum_event_age_in_seconds must be set explicitly');
        const dest = c.destination_config[0].on_failure[0].destination;
        const m = /^\$\{aws_sqs_queue\.([a-z_]+)\.arn\}$/.exec(dest);
        assert(m, `on_failure destination must be an SQS queue, got ${dest}`);
        queueName = m[1];
        res('aws_sqs_queue', queueName);
        return `${retries} retries`;
    });

    check('alarms on function errors and on the failure queue depth', () => {
        const alarms = Object.values(merged.resource.aws_cloudwatch_metric_alarm || {});
        const errors = alarms.find((a) => a.namespace === 'AWS/Lambda' && a.metric_name === 'Errors');
        assert(errors, 'no alarm on AWS/Lambda Errors');
        assert(new RegExp(`aws_lambda_function\\.${fnName}\\.`).test(errors.dimensions.FunctionName), 'Errors alarm must be on this function');
        const depth = alarms.find((a) => a.namespace === 'AWS/SQS' && /ApproximateNumberOfMessages(Visible)?$/.test(a.metric_name));
        assert(depth, 'no alarm on the queue depth');
        eq(depth.dimensions.QueueName, `\${aws_sqs_queue.${queueName}.name}`, 'queue alarm dimension');
        for (const a of [errors, depth]) {
            assert(a.comparison_operator && a.threshold !== undefined && a.evaluation_periods, 'alarm incomplete');
        }
    });

    // -----------------------------------------------------------------------
    // IAM
    // -----------------------------------------------------------------------
    check('role assumable by Lambda; inline policy rendered from the template file', () => {
        const role = res('aws_iam_role', 'lambda');
        const assume = JSON.stringify(role.assume_role_policy) + JSON.stringify(merged.data.aws_iam_policy_document || {});
        assert(/lambda\.amazonaws\.com/.test(assume), 'role must be assumable by lambda.amazonaws.com');
        const pol = res('aws_iam_role_policy', 'lambda');
        const m = /templatefile\("\$\{path\.module\}\/(policies\/[^"]+\.tftpl)", \{([\s\S]*)\}\)/.exec(pol.policy);
        assert(m, `policy must be templatefile("\${path.module}/policies/....tftpl", {...}), got ${pol.policy}`);
        const tpl = fs.readFileSync(path.join(tfDir, m[1]), 'utf8');
        const passed = new Set([...m[2].matchAll(/([a-z_]+)\s*=/g)].map((x) => x[1]));
        const used = new Set([...tpl.matchAll(/\$\{\s*([a-z_]+)\s*\}|%\{\s*if\s+!?([a-z_]+)\s*\}/g)].map((x) => x[1] || x[2]));
        eq([...passed].sort(), [...used].sort(), 'templatefile arguments vs template placeholders');
        assert(!/%\{\s*for/.test(tpl), 'keep the template simple: no %{ for }');
        // No permission anywhere else: the attached policy is the template.
        eq(Object.keys(merged.resource.aws_iam_role_policy_attachment || {}), [], 'managed policy attachments');
    });

    // -----------------------------------------------------------------------
    // References
    // -----------------------------------------------------------------------
    check('every var.X is declared and every variable is used', () => {
        const text = Object.values(rawText).join('\n');
        const used = new Set([...text.matchAll(/\bvar\.([A-Za-z0-9_]+)/g)].map((m) => m[1]));
        const declared = new Set(Object.keys(merged.variable));
        const undeclared = [...used].filter((v) => !declared.has(v));
        const unused = [...declared].filter((v) => !used.has(v));
        assert(undeclared.length === 0, `undeclared: ${undeclared}`);
        assert(unused.length === 0, `declared but unused: ${unused}`);
        for (const [n, v] of Object.entries(merged.variable)) assert(v.description && v.type, `var.${n} needs description and type`);
        return `${declared.size} variables`;
    });

    check('every local, resource and data reference exists', () => {
        const text = Object.values(rawText).join('\n');
        const bad = [];
        for (const m of text.matchAll(/\blocal\.([A-Za-z0-9_]+)/g)) if (!(m[1] in merged.locals)) bad.push(m[0]);
        for (const m of text.matchAll(/(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)/g)) {
            const table = m[1] ? merged.data : merged.resource;
            if (!(table[m[2]] && table[m[2]][m[3]])) bad.push(m[0]);
        }
        assert(bad.length === 0, `unknown: ${[...new Set(bad)]}`);
    });

    check('outputs: buckets, function ARN, log group, upload command', () => {
        for (const o of ['source_bucket', 'dest_bucket', 'function_arn', 'log_group', 'upload_command'])
            assert(merged.output[o], `output ${o} missing`);
        assert(/^aws s3 cp .* s3:\/\/\$\{aws_s3_bucket\.[a-z_]+\.(id|bucket)\}\//.test(merged.output.upload_command.value), 'upload_command must be an aws s3 cp into the source bucket');
        assert(merged.output.upload_command.value.includes(`aws_s3_bucket.${sourceBucket}.`), 'upload_command must target the source bucket');
    });

    // -----------------------------------------------------------------------
    // The image service (metadata.tf, notify.tf, archive.tf, api.tf)
    // -----------------------------------------------------------------------
    const policyArgs = (pol) => {
        const m = /templatefile\("\$\{path\.module\}\/(policies\/[^"]+\.tftpl)", \{([\s\S]*)\}\)/.exec(pol.policy);
        assert(m, 'policy must be a templatefile');
        const tpl = fs.readFileSync(path.join(tfDir, m[1]), 'utf8');
        const passed = new Set([...m[2].matchAll(/([a-z_]+)\s*=/g)].map((x) => x[1]));
        const used = new Set([...tpl.matchAll(/\$\{\s*([a-z_]+)\s*\}|%\{\s*if\s+!?([a-z_]+)\s*\}/g)].map((x) => x[1] || x[2]));
        eq([...passed].sort(), [...used].sort(), `${m[1]}: templatefile arguments vs placeholders`);
        return { file: m[1], text: m[2], tpl };
    };

    check('DynamoDB table ImageMetadata: hash key ImageID (S), on demand, optional', () => {
        const t = res('aws_dynamodb_table', 'images');
        eq(t.count, '${var.enable_metadata ? 1 : 0}', 'table count');
        eq(varDefault(t.name), 'ImageMetadata', 'table name default');
        eq(t.hash_key, 'ImageID', 'hash_key');
        eq(t.billing_mode, 'PAY_PER_REQUEST', 'billing_mode');
        eq(t.attribute, [{ name: 'ImageID', type: 'S' }], 'attribute');
        eq(env().METADATA_TABLE, '${local.metadata_table_name}', 'thumbnail METADATA_TABLE');
        eq(apiEnv().METADATA_TABLE, '${local.metadata_table_name}', 'API METADATA_TABLE');
        assert(/aws_dynamodb_table\.images\[0\]\.name/.test(merged.locals.metadata_table_name), 'local.metadata_table_name must name the table');
    });

    check('SNS topic with an optional e-mail subscription; NOTIFY_TOPIC_ARN', () => {
        const t = res('aws_sns_topic', 'images');
        eq(t.count, '${var.enable_notifications ? 1 : 0}', 'topic count');
        const sub = res('aws_sns_topic_subscription', 'email');
        eq(sub.protocol, 'email', 'protocol');
        eq(sub.endpoint, '${var.notification_email}', 'endpoint');
        assert(/var\.notification_email != null/.test(sub.count), 'subscription only with an address');
        eq(varDefault('${var.notification_email}'), null, 'notification_email default');
        assert(/local\.notify_topic_arn/.test(env().NOTIFY_TOPIC_ARN), 'NOTIFY_TOPIC_ARN');
    });

    check('archive prefix and trigger prefix exposed; ARCHIVE_* set', () => {
        eq(env().ARCHIVE_PREFIX, '${var.archive_prefix}', 'ARCHIVE_PREFIX');
        eq(varDefault(env().ARCHIVE_PREFIX), '', 'archive off by default');
        eq(env().ARCHIVE_BUCKET, '${local.archive_bucket}', 'ARCHIVE_BUCKET');
        const [, n] = onlyResource('aws_s3_bucket_notification');
        const d = [].concat(n.dynamic || []).flatMap((x) => x.lambda_function || [])[0];
        eq(d.content[0].filter_prefix, '${var.trigger_prefix}', 'trigger filter_prefix');
    });

    check('METRIC_MODE emf|api|both; PutMetricData granted only for api and both', () => {
        eq(env().METRIC_MODE, '${var.metric_mode}', 'METRIC_MODE');
        eq(varDefault(env().METRIC_MODE), 'emf', 'metric_mode default');
        const { text } = policyArgs(res('aws_iam_role_policy', 'lambda'));
        assert(/metric_api_mode\s*=\s*var\.metric_mode != "emf"/.test(text), 'metric_api_mode must follow metric_mode');
    });

    check('worker policy: each service statement follows its feature', () => {
        const { text } = policyArgs(res('aws_iam_role_policy', 'lambda'));
        assert(/metadata_enabled\s*=\s*var\.enable_metadata/.test(text), 'metadata_enabled');
        assert(/notify_enabled\s*=\s*var\.enable_notifications/.test(text), 'notify_enabled');
        assert(/archive_enabled\s*=\s*var\.archive_prefix != ""/.test(text), 'archive_enabled');
    });

    check('HTTP API: routes, payload 2.0 proxy to the API function, $default stage with throttling, CORS, optional JWT', () => {
        const api = res('aws_apigatewayv2_api', 'images');
        eq(api.protocol_type, 'HTTP', 'protocol_type');
        const cors = (api.cors_configuration || [])[0];
        assert(cors && cors.allow_methods.includes('POST') && cors.allow_methods.includes('GET'), 'CORS methods');
        eq(cors.allow_origins, ['${var.cors_allow_origin}'], 'CORS origins');
        const integ = res('aws_apigatewayv2_integration', 'api');
        eq(integ.integration_type, 'AWS_PROXY', 'integration_type');
        eq(integ.payload_format_version, '2.0', 'payload_format_version');
        eq(integ.integration_uri, '${aws_lambda_function.api[0].invoke_arn}', 'integration_uri');
        const route = res('aws_apigatewayv2_route', 'images');
        assert(/"POST \/images", "GET \/images", "GET \/images\/\{id\+\}"/.test(route.for_each), `routes: ${route.for_each}`);
        assert(/JWT/.test(route.authorization_type), 'routes may use the JWT authorizer');
        const stage = res('aws_apigatewayv2_stage', 'default');
        eq(stage.name, '$default', 'stage name');
        eq(stage.auto_deploy, true, 'auto_deploy');
        const rs = stage.default_route_settings[0];
        eq([rs.throttling_rate_limit, rs.throttling_burst_limit], ['${var.api_throttle_rate}', '${var.api_throttle_burst}'], 'throttling');
        const jwt = res('aws_apigatewayv2_authorizer', 'jwt');
        eq(jwt.authorizer_type, 'JWT', 'authorizer_type');
        eq(jwt.jwt_configuration[0].issuer, '${var.jwt_issuer}', 'issuer');
        eq(jwt.jwt_configuration[0].audience, '${var.jwt_audience}', 'audience');
        const perm = res('aws_lambda_permission', 'api_invoke');
        eq(perm.principal, 'apigateway.amazonaws.com', 'API permission principal');
        assert(/execution_arn/.test(perm.source_arn), 'API permission scoped to the API');
        assert(merged.output.api_url, 'output api_url');
    });

    check('API function: same zip and layer, its own role and least-privilege policy', () => {
        const a = apiFn();
        assert(a, 'aws_lambda_function.api missing');
        eq(a.filename, fn.filename, 'same zip');
        eq(a.source_code_hash, fn.source_code_hash, 'same code hash');
        eq(a.layers, fn.layers, 'same layer');
        eq(a.runtime, 'provided.al2023', 'runtime');
        eq(a.role, '${aws_iam_role.api[0].arn}', 'its own role');
        const role = res('aws_iam_role', 'api');
        assert(/assume_lambda/.test(role.assume_role_policy), 'assumable by Lambda');
        const { file, tpl } = policyArgs(res('aws_iam_role_policy', 'api'));
        eq(file, 'policies/api-policy.json.tftpl', 'API policy file');
        assert(!/"Action":\s*"[a-z0-9]+:\*"|"Resource":\s*"\*"/.test(tpl), 'no wildcard action or resource');
        for (const v of ['UPLOAD_BUCKET', 'UPLOAD_PREFIX', 'DEST_BUCKET', 'KEY_PREFIX', 'CORS_ALLOW_ORIGIN', 'URL_EXPIRES'])
            assert(apiEnv()[v] !== undefined, `API function lacks ${v}`);
        eq(apiEnv().KEY_PREFIX, env().KEY_PREFIX, 'KEY_PREFIX equal in both functions');
        eq(a.logging_config[0].log_group, '${aws_cloudwatch_log_group.api[0].name}', 'its own log group');
    });

    check('browser CORS on the buckets: PUT on uploads, GET on thumbnails, for the API origin', () => {
        const up = res('aws_s3_bucket_cors_configuration', 'uploads');
        eq(up.bucket, '${aws_s3_bucket.source.id}', 'uploads CORS bucket');
        eq(up.cors_rule[0].allowed_methods, ['PUT'], 'uploads CORS methods');
        eq(up.cors_rule[0].allowed_origins, ['${var.cors_allow_origin}'], 'uploads CORS origin');
        assert(up.cors_rule[0].allowed_headers.includes('content-type'), 'the signed Content-Type header must be allowed');
        const th = res('aws_s3_bucket_cors_configuration', 'thumbnails');
        eq(th.bucket, '${aws_s3_bucket.dest.id}', 'thumbnails CORS bucket');
        eq(th.cors_rule[0].allowed_methods, ['GET'], 'thumbnails CORS methods');
    });

    check('upload page: private bucket behind CloudFront (origin access control), only with the API', () => {
        eq(merged.locals.web_enabled, '${var.enable_api && var.enable_upload_page}', 'local.web_enabled');
        eq(varDefault('${var.enable_upload_page}'), true, 'enable_upload_page default');
        const page = 'aws_s3_bucket.web[0]';
        for (const kind of ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls',
            'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_object', 'aws_cloudfront_origin_access_control',
            'aws_cloudfront_distribution', 'aws_s3_bucket_policy']) {
            const [name, r] = Object.entries(merged.resource[kind]).find(([, x]) => kind === 'aws_s3_bucket' ? x === res(kind, PAGE_BUCKET)
                : kind === 'aws_s3_object' || kind.startsWith('aws_cloudfront') || onPageBucket(x)) || [];
            assert(r, `${kind} of the page bucket missing`);
            eq(r.count, '${local.web_enabled ? 1 : 0}', `${kind}.${name}.count`);
        }
        const pab = Object.values(merged.resource.aws_s3_bucket_public_access_block).find(onPageBucket);
        for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
            eq(pab[k], true, `page bucket ${k}`);
        const obj = res('aws_s3_object', 'upload_page');
        eq(obj.bucket, `\${${page}.id}`, 'page object bucket');
        eq([obj.key, obj.source, obj.etag], ['index.html', '${local.web_page}', '${filemd5(local.web_page)}'], 'page object');
        eq(merged.locals.web_page, '${path.module}/../web/index.html', 'local.web_page');
        assert(fs.existsSync(path.join(repo, 'web', 'index.html')), 'web/index.html missing');
        assert(/^text\/html/.test(obj.content_type), 'the page is served as text/html');
        const oac = res('aws_cloudfront_origin_access_control', 'web');
        eq([oac.origin_access_control_origin_type, oac.signing_behavior, oac.signing_protocol], ['s3', 'always', 'sigv4'], 'OAC');
        const cf = res('aws_cloudfront_distribution', 'web');
        eq(cf.default_root_object, 'index.html', 'default_root_object');
        eq(cf.origin[0].origin_access_control_id, '${aws_cloudfront_origin_access_control.web[0].id}', 'origin uses the OAC');
        eq(cf.origin[0].domain_name, `\${${page}.bucket_regional_domain_name}`, 'origin is the page bucket');
        assert(['redirect-to-https', 'https-only'].includes(cf.default_cache_behavior[0].viewer_protocol_policy), 'HTTPS only');
        const doc = merged.data.aws_iam_policy_document.web;
        const read = doc.statement.find((st) => (st.actions || []).includes('s3:GetObject'));
        eq(read.principals[0].identifiers, ['cloudfront.amazonaws.com'], 'only CloudFront reads the page');
        eq(read.condition[0].variable, 'AWS:SourceArn', 'scoped to the distribution');
        eq(read.condition[0].values, ['${aws_cloudfront_distribution.web[0].arn}'], 'the distribution ARN');
        assert(doc.statement.some((st) => st.effect === 'Deny' && /SecureTransport/.test(JSON.stringify(st.condition))), 'TLS only');
        const out = merged.output.upload_page_url;
        assert(out && /aws_cloudfront_distribution\.web\[0\]\.domain_name/.test(out.value) &&
            /\?api=\$\{urlencode\(.*aws_apigatewayv2_stage\.default\[0\]\.invoke_url/.test(out.value),
            `output upload_page_url must be the distribution with ?api= the stage URL: ${out && out.value}`);
    });

    check('the local HTTP API front (tests/lambda/e2e/localapi.py) has the routes and CORS of api.tf', () => {
        const py = fs.readFileSync(path.join(repo, 'tests', 'lambda', 'e2e', 'localapi.py'), 'utf8');
        const routes = /^API_ROUTES = \(([^)]*)\)/m.exec(py);
        assert(routes, 'API_ROUTES not found in localapi.py');
        const local = [...routes[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
        const tf = [...res('aws_apigatewayv2_route', 'images').for_each.matchAll(/"([A-Z]+ \/[^"]*)"/g)].map((m) => m[1]).sort();
        eq(local, tf, 'routes');
        const cors = res('aws_apigatewayv2_api', 'images').cors_configuration[0];
        const list = (name) => {
            const m = new RegExp(`${name}=\\[([^\\]]*)\\]`).exec(py);
            assert(m, `${name} not found in localapi.py API_CORS`);
            return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
        };
        eq(list('allow_methods'), cors.allow_methods, 'allow_methods');
        eq(list('allow_headers'), cors.allow_headers, 'allow_headers');
        eq(list('expose_headers'), cors.expose_headers, 'expose_headers');
        eq(Number(/max_age=(\d+)/.exec(py)[1]), cors.max_age, 'max_age');
        eq(Number(/^API_TIMEOUT_S = ([\d.]+)/m.exec(py)[1]) * 1000, res('aws_apigatewayv2_integration', 'api').timeout_milliseconds, 'integration timeout');
    });

    check('README covers build, apply, upload, logs, metric, destroy', () => {
        const text = fs.readFileSync(path.join(tfDir, 'README.md'), 'utf8');
        for (const s of ['packaging/build-package', 'terraform init', 'terraform apply', 'aws s3 cp', 'aws logs', 'aws cloudwatch', 'terraform destroy', 'ctest'])
            assert(text.includes(s), `README lacks "${s}"`);
    });

    checkQueue();

    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
}

// S3 -> SQS -> Lambda (queue.tf), off by default: batching, bounded concurrency, DLQ with
// redrive, per-message failures.
function checkQueue() {
    const v = (n) => merged.variable[n] || {};
    const gated = (r) => eq(r.count, '${local.queue_count}', 'count') ||
        eq(merged.locals.queue_count, '${var.buffer_with_sqs ? 1 : 0}', 'local.queue_count');

    check('queue option: variables with defaults and bounds, off by default', () => {
        eq(v('buffer_with_sqs').default, false, 'buffer_with_sqs default');
        eq(v('queue_batch_size').default, 10, 'queue_batch_size default');
        eq(v('queue_max_receive_count').default, 5, 'queue_max_receive_count default');
        assert(v('queue_batching_window_seconds').default >= 0, 'batching window default');
        assert(v('queue_max_concurrency').default >= 2, 'maximum concurrency default must be >= 2');
        for (const n of ['queue_batch_size', 'queue_batching_window_seconds', 'queue_max_concurrency', 'queue_max_receive_count'])
            assert(v(n).validation, `${n} has no validation`);
    });

    check('jobs queue: visibility 6x the timeout, encrypted, redrive to the DLQ', () => {
        const q = res('aws_sqs_queue', 'jobs');
        const dlq = res('aws_sqs_queue', 'jobs_dlq');
        gated(q);
        gated(dlq);
        eq(q.visibility_timeout_seconds, '${6 * var.timeout}', 'visibility_timeout_seconds');
        eq(q.sqs_managed_sse_enabled, true, 'jobs queue encryption');
        eq(dlq.sqs_managed_sse_enabled, true, 'DLQ encryption');
        const rp = String(q.redrive_policy);
        assert(rp.includes('aws_sqs_queue.jobs_dlq[0].arn') && rp.includes('var.queue_max_receive_count'),
            `redrive_policy ${rp}`);
        const allow = res('aws_sqs_queue_redrive_allow_policy', 'jobs_dlq');
        assert(String(allow.redrive_allow_policy).includes('aws_sqs_queue.jobs[0].arn'), 'redrive allow policy');
    });

    check('event source mapping: batch size, window, max concurrency, ReportBatchItemFailures', () => {
        const m = res('aws_lambda_event_source_mapping', 'jobs');
        gated(m);
        eq(m.event_source_arn, '${aws_sqs_queue.jobs[0].arn}', 'event_source_arn');
        eq(m.batch_size, '${var.queue_batch_size}', 'batch_size');
        eq(m.maximum_batching_window_in_seconds, '${var.queue_batching_window_seconds}', 'batching window');
        eq(m.function_response_types, ['ReportBatchItemFailures'], 'function_response_types');
        eq(m.scaling_config[0].maximum_concurrency, '${var.queue_max_concurrency}', 'maximum_concurrency');
    });

    check('S3 notifies the queue (same suffixes) only when buffering; the queue accepts only the source bucket', () => {
        const [, n] = onlyResource('aws_s3_bucket_notification');
        const d = [].concat(n.dynamic || []).flatMap((x) => x.queue || []);
        eq(d.length, 1, 'dynamic queue blocks');
        eq(d[0].for_each, '${var.buffer_with_sqs ? var.trigger_suffixes : []}', 'queue for_each');
        eq(d[0].content[0].queue_arn, '${aws_sqs_queue.jobs[0].arn}', 'queue_arn');
        const doc = merged.data.aws_iam_policy_document.jobs_queue;
        const st = doc.statement[0];
        eq(st.principals[0].identifiers, ['s3.amazonaws.com'], 'queue policy principal');
        assert(st.condition.some((c) => c.variable === 'aws:SourceArn' && String(c.values).includes('aws_s3_bucket.source.arn')),
            'queue policy must name the source bucket');
    });

    check('role may consume the jobs queue only in queue mode; DLQ alarm', () => {
        const t = fs.readFileSync(path.join(tfDir, 'policies', 'lambda-policy.json.tftpl'), 'utf8');
        assert(/%\{ if queue_mode \}[\s\S]*sqs:ReceiveMessage[\s\S]*\$\{jobs_queue_arn\}[\s\S]*%\{ endif \}/.test(t),
            'ConsumeJobsQueue statement under queue_mode');
        const a = res('aws_cloudwatch_metric_alarm', 'jobs_dlq_depth');
        gated(a);
        eq(a.threshold, 0, 'DLQ alarm threshold');
    });
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
