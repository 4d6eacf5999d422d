const { GraphQLServer } = require('graphql-yoga')
const { prisma } = require('./generated/prisma-client')

const server = new GraphQLServer({
  typeDefs: './src/schema.graphql',
  context: { prisma },
})
server.start(() => console.log('Server is running on http://localhost:4000'))
