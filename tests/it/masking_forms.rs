//! The canary repository: every form a secret takes in the file kinds the
//! tool reads, one canary per secret. `{C}` is a fresh canary, `{M}` a
//! marker for the line (a non-secret word that must show, proving the line
//! is printed), `{U}` a Prisma 1 Cloud URL that makes the line a finding
//! and a copy `fix --replace-endpoint` edits (so its neighbours are diff
//! context).

pub const URL: &str = "https://eu1.prisma.sh/ws/svc/stage";

pub const FILES: &[(&str, &str)] = &[
    (
        ".env",
        r#"PRISMA_ENDPOINT={U}
PRISMA_MANAGEMENT_API_SECRET={C} # {M} {U}
export PRISMA_SECRET={C} # {M} {U}
PRISMA_SECRET_2="{C} {C}" # {M} {U}
K_PASSWORD="a\"{C}" # {M} {U}
K_TOKEN='a'\''{C}' # {M} {U}
API_KEY='{C} and {C}' # {M} {U}
SESSION_KEY = {C} # {M} {U}
PRISMA_CLOUD_SESSION_KEY={C} # {M} {U}
AUTH_TOKEN=${UNSET_VAR:-{C}} # {M} {U}
DATABASE_URL=postgres://user:{C}@db:5432/x # {M} {U}
DB_PASSWORD={C}#{C} # {M} {U}
# {M} {U}
PRIVATE_KEY="-----BEGIN KEY-----
{C}
-----END KEY-----"
"#,
    ),
    (
        "a/prisma.yml",
        "endpoint: {U}\ndatamodel: datamodel.prisma\nsecret: {C} # {M} {U}\n",
    ),
    (
        "b/prisma.yml",
        "endpoint: {U}\nsecret: \"{C} {C}\" # {M} {U}\n",
    ),
    ("c/prisma.yml", "endpoint: {U}\nsecret: 'a''{C}' # {M} {U}\n"),
    ("d/prisma.yml", "endpoint: {U}\nsecret: \"a\\\"{C}\" # {M} {U}\n"),
    ("e/prisma.yml", "endpoint: {U}\nsecret: ${C} # {M} {U}\n"),
    ("f/prisma.yml", "endpoint: {U} # {M}\nsecret: |\n  {C}\n"),
    ("g/prisma.yml", "endpoint: {U} # {M}\nsecret: >-\n  {C}\n  {C}\n"),
    ("h/prisma.yml", "endpoint: {U} # {M}\nsecret:\n  {C} {C}\n"),
    (
        "i/prisma.yml",
        "# {M} {U}\nendpoint: https://admin:{C}@eu1.prisma.sh/ws/svc/stage\n",
    ),
    (
        "docker-compose.yml",
        r#"services:
  prisma:
    image: prismagraphql/prisma:1.34
    environment:
      PRISMA_MANAGEMENT_API_SECRET: {C} # {M} {U}
      PRISMA_CONFIG: |
        port: 4466
        managementApiSecret: "{C} {C}" # {M} {U}
        databases:
          default:
            password: {C} # {M} {U}
  mysql:
    image: mysql:5.7
    command: mysqld
    environment:
      MYSQL_ROOT_PASSWORD: {C} # {M} {U}
  other:
    image: node
    environment:
      - PRISMA_SECRET={C} {C} # {M} {U}
      - DB_PASSWORD={C} # {M} {U}
"#,
    ),
    (
        "k8s/deploy.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          image: node
          env:
            - name: PRISMA_ENDPOINT
              value: {U}
            - name: PRISMA_MANAGEMENT_API_SECRET
              value: {C} # {M} {U}
            - name: DB_PASSWORD
              value: "{C} {C}" # {M} {U}
            - name: API_TOKEN
              value: '{C}' # {M} {U}
"#,
    ),
    (
        "k8s/secret.yaml",
        "apiVersion: v1\nkind: Secret\nstringData:\n  password: {C} # {M} {U}\n  token: \"{C}\" # {M} {U}\n",
    ),
    (
        "config/app.yml",
        r#"password: {C} # {M} {U}
api_key: "{C} {C}" # {M} {U}
token: 'it''s {C}' # {M} {U}
# {M} {U}
secret: |
  {C}
  {C}
# {M} {U}
secrets:
  - {C}
  - '{C}'
secrets_b: [{C}, "{C}"] # {M} {U}
credentials: {value: {C}} # {M} {U}
authorization: Bearer {C} # {M} {U}
PRISMA_SECRET: ${SECRET:-{C}} # {M} {U}
db:
  url: mysql://root:{C}@db/app # {M} {U}
"#,
    ),
    (
        ".github/workflows/ci.yml",
        r#"on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      PRISMA_MANAGEMENT_API_SECRET: {C} # {M} {U}
      PRISMA_SECRET: '{C} {C}' # {M} {U}
    steps:
      - run: PRISMA_SECRET={C} npx prisma1 deploy # {M} {U}
      - run: npx prisma1 login --key {C} # {M} {U}
      - run: npx prisma1 login --key "{C} {C}" # {M} {U}
      - run: npx prisma1 login --key={C}\ {C} # {M} {U}
      - run: npx prisma1 login -k{C} # {M} {U}
      - run: npx prisma1 login -k {C} # {M} {U}
      - run: curl -H "Authorization: Bearer {C}" {U} # {M}
      - run: |
          echo {M} {U}
          PRISMA_MANAGEMENT_API_SECRET={C} \
            npx prisma1 deploy
      - uses: some/action@v1
        with:
          token: {C} # {M} {U}
          api-key: "{C}" # {M} {U}
"#,
    ),
    (
        ".gitlab-ci.yml",
        r#"variables:
  PRISMA_MANAGEMENT_API_SECRET: {C} # {M} {U}
  DB_PASSWORD: "{C}" # {M} {U}
deploy:
  script:
    - PRISMA_SECRET={C} npx prisma1 deploy # {M} {U}
    - npx prisma1 login --key {C} # {M} {U}
"#,
    ),
    (
        ".travis.yml",
        "env:\n  global:\n    - PRISMA_SECRET={C} # {M} {U}\nscript: npx prisma1 deploy\n",
    ),
    (
        "Makefile",
        "ENDPOINT = {U}\nPRISMA_SECRET ?= {C} # {M} {U}\nPRISMA_MANAGEMENT_API_SECRET := {C} # {M} {U}\nPRISMA_CLOUD_SESSION_KEY += {C} # {M} {U}\nAPI_TOKEN ::= {C} {C} # {M} {U}\n# {M} {U}\nDB_PASSWORD = {C} \\\n\t{C}\nexport PRISMA_SERVICE_SECRET={C} # {M} {U}\ndeploy:\n\tnpx prisma1 login --key {C} # {M} {U}\n\tPRISMA_SECRET='{C} {C}' npx prisma1 deploy # {M} {U}\n",
    ),
    (
        "Dockerfile",
        "FROM node:14\n# {M} {U}\nENV PRISMA_MANAGEMENT_API_SECRET {C} {C}\n# {M} {U}\nENV PRISMA_SECRET=\"{C} {C}\" OTHER=1\n# {M} {U}\nENV A=1 PRISMA_SECRET_B={C}\n# {M} {U}\nARG DB_PASSWORD={C}\n# {M} {U}\nENV K_TOKEN={C}\\ {C}\nRUN echo {M} && npx prisma1 login --key {C} && curl {U}\nCMD [\"npx\", \"prisma1\", \"login\", \"--key\", \"{C}\", \"{M}\", \"{U}\"]\n",
    ),
    (
        "scripts/deploy.sh",
        r#"#!/bin/sh
PRISMA_MANAGEMENT_API_SECRET='{C} {C}' npx prisma1 deploy # {M} {U}
export PRISMA_SECRET="{C}" # {M} {U}
npx prisma1 login --key={C}\ {C} # {M} {U}
npx prisma1 login --key "{C} {C}" # {M} {U}
npx prisma1 login -k{C} # {M} {U}
K_TOKEN='a'\''{C}' npx prisma1 deploy # {M} {U}
curl -H 'Authorization: token {C}' {U} # {M}
curl -H "authorization: Bearer {C}" {U} # {M}
DB_PASSWORD="{C}
{C}" npx prisma1 deploy # {M} {U}
PRISMA_SECRET={C}\
{C} npx prisma1 deploy # {M} {U}
npx prisma1 login \
  --key {C} # {M} {U}
X=${PRISMA_SECRET:-{C}} # {M} {U}
"#,
    ),
    (
        "package.json",
        r#"{
  "name": "app",
  "scripts": {
    "deploy": "PRISMA_MANAGEMENT_API_SECRET={C} prisma1 deploy && curl {U} # {M}",
    "login": "prisma1 login --key \"{C} {C}\" && curl {U} # {M}",
    "l2": "prisma1 login -k {C} && curl {U} # {M}",
    "l3": "prisma1 login --key={C} && curl {U} # {M}",
    "l4": "PRISMA_SECRET='{C} {C}' prisma1 deploy && curl {U} # {M}",
    "l5": "PRISMA_SECRET=\"{C} {C}\" prisma1 deploy && curl {U} # {M}",
    "l6": "prisma1 login -k{C} && curl {U} # {M}"
  },
  "devDependencies": {"prisma": "1.34.10"}
}
"#,
    ),
    (
        "app.json",
        r#"{
  "env": {
    "PRISMA_MANAGEMENT_API_SECRET": {"value": "{C} {C}", "description": "{M} {U}"},
    "PRISMA_SECRET": {"description": "{M} {U}", "value": "{C}"},
    "PRISMA_ENDPOINT": {"value": "{U}"}
  },
  "scripts": {"postdeploy": "prisma1 deploy"}
}
"#,
    ),
    (
        "deploy/task-definition.json",
        r#"{
  "containerDefinitions": [{
    "environment": [
      {"name": "PRISMA_MANAGEMENT_API_SECRET", "value": "{C}", "x": "{M} {U}"},
      {"value": "{C} {C}", "name": "PRISMA_SECRET", "x": "{M} {U}"},
      {"name": "DB_PASSWORD", "x": "{M} {U}",
       "value": "{C}"},
      {"Name": "API_TOKEN", "Value": "{C}", "x": "{M} {U}"}
    ],
    "secrets": ["{C}", "{C}"], "x": "{M} {U}"
  }]
}
"#,
    ),
    (
        ".docker/config.json",
        "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"{C}\", \"x\": \"{M} {U}\"}},\n \"identitytoken\": \"{C}\", \"y\": \"{M} {U}\"}\n",
    ),
    (
        "config/prisma.json",
        "{\n  \"secret\": \"a\\\"{C}\", \"x\": \"{M} {U}\",\n  \"password\": \"{C} {C}\", \"y\": \"{M} {U}\",\n  \"token\": \"{C}\", \"z\": \"{M} {U}\"\n}\n",
    ),
    (
        "src/config.js",
        r#"const secret = '{C}'; // {M} {U}
export const client = { secret: "{C} {C}" }; // {M} {U}
const token = `{C}${suffix}`; // {M} {U}
const s1 = process.env.PRISMA_SECRET || '{C}'; // {M} {U}
const s2 = process.env.API_TOKEN ?? "{C}"; // {M} {U}
const s3 = process.env['PRISMA_MANAGEMENT_API_SECRET'] || `{C}`; // {M} {U}
fetch(u, { headers: { Authorization: 'Bearer {C}' } }); // {M} {U}
fetch(u, { headers: { Authorization: `Bearer {C}` } }); // {M} {U}
fetch(u, { headers: { 'x-api-key': '{C}' } }); // {M} {U}
const password = "it\"s {C}"; // {M} {U}
const mongo = 'mongodb+srv://u:{C}@cluster0.x.net/db'; // {M} {U}
new Prisma({ endpoint: '{U}', secret: '{C}' }); // {M}
const apiKey = '{C}' // {M} {U}
const cfg = { managementApiSecret: '{C}' }; // {M} {U}
"#,
    ),
    (
        "app/settings.py",
        "SECRET_KEY = '{C}'  # {M} {U}\ntoken = os.getenv(\"PRISMA_SECRET\", \"{C}\")  # {M} {U}\npw = os.environ.get('DB_PASSWORD', '{C}')  # {M} {U}\n",
    ),
    (
        ".npmrc",
        "# {M} {U}\n//registry.npmjs.org/:_authToken={C}\n# {M} {U}\n_auth={C}\n# {M} {U}\n//npm.pkg.github.com/:_password={C}\n",
    ),
    (
        "settings.xml",
        "<settings><!-- {M} {U} -->\n<password>{C}</password> <!-- {M} {U} -->\n</settings>\n",
    ),
    (
        "application.properties",
        "# {M} {U}\ndb.password={C}\n# {M} {U}\nspring.datasource.password = {C} {C}\n",
    ),
    (
        "netlify.toml",
        "[build.environment]\n  PRISMA_SECRET = \"{C}\" # {M} {U}\n",
    ),
    (
        "Jenkinsfile",
        "pipeline {\n  environment {\n    PRISMA_SECRET = '{C}' // {M} {U}\n  }\n  stages { stage('d') { steps { sh \"npx prisma1 login --key {C} # {M} {U}\" } } }\n}\n",
    ),
    (
        "Procfile",
        "release: PRISMA_SECRET={C} npx prisma1 deploy # {M} {U}\n",
    ),
    (
        "README.md",
        "# App\n\n```sh\nPRISMA_MANAGEMENT_API_SECRET={C} npx prisma1 deploy # {M} {U}\nnpx prisma1 login --key \"{C} {C}\" # {M} {U}\n```\n\n{M} {U}\nPassword: {C}\n",
    ),
    // The forms `hostile_secrets.rs` plants, each file under `hostile/`.
    (
        "hostile/Makefile",
        "PRISMA_SECRET ?= {C}\nPRISMA_MANAGEMENT_API_SECRET := {C}\nPRISMA_CLOUD_SESSION_KEY += {C}\nENDPOINT = {U}\ndeploy:\n\tprisma1 deploy\n\tprisma1 login --key {C}\n",
    ),
    (
        "hostile/Dockerfile",
        "FROM node:14\nENV PRISMA_MANAGEMENT_API_SECRET {C}\nENV PRISMA_SECRET=\"{C} {C}\"\nRUN prisma1 deploy --endpoint {U}\n",
    ),
    (
        "hostile/app.json",
        r#"{"env": {"PRISMA_MANAGEMENT_API_SECRET": {"value": "{C}"}, "PRISMA_ENDPOINT": {"value": "{U}"}}, "scripts": {"postdeploy": "prisma1 deploy"}}"#,
    ),
    (
        "hostile/config/prisma.json",
        "{\n  \"endpoint\": \"{U}\", \"secret\": \"{C}\"\n}\n",
    ),
    (
        "hostile/src/db.js",
        "const endpoint = '{U}'; const secret = '{C}';\nexport const client = { endpoint: '{U}', secret: \"{C} {C}\" };\n",
    ),
    (
        "hostile/scripts/login.sh",
        "#!/bin/sh\nprisma1 login -k{C}\nprisma1 login --key={C}\nprisma1 login -k {C}\nPRISMA_MANAGEMENT_API_SECRET='{C} {C}' prisma1 deploy\n# {U}\n",
    ),
    (
        "hostile/prisma/prisma.yml",
        "endpoint: {U}\ndatamodel: datamodel.graphql\nsecret: \"{C} {C} {C}\"\n",
    ),
    (
        "hostile/.env",
        "PRISMA_MANAGEMENT_API_SECRET=\"{C} with {C}\"\nPRISMA_ENDPOINT={U}\nPRISMA_CLOUD_SESSION_KEY={C}\n",
    ),
    (
        "hostile/package.json",
        r#"{"dependencies": {"prisma": "1.34.10", "prisma-binding": "2.0.0"}, "scripts": {"deploy": "PRISMA_MANAGEMENT_API_SECRET={C} prisma1 deploy", "login": "prisma1 login -k {C}", "x": "curl {U}"}}"#,
    ),
    (
        "hostile/.github/workflows/ci.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: {C}\n      PRISMA_SECRET: '{C} {C}'\n    steps:\n      - run: prisma1 deploy {U}\n",
    ),
    (
        "hostile/docker-compose.yml",
        "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_MANAGEMENT_API_SECRET: {C}\n      PRISMA_CONFIG: |\n        port: 4466\n        managementApiSecret: \"{C} {C}\"\n      X: {U}\n",
    ),
];
